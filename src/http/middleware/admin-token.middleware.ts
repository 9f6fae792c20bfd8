import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';

/** How the server guards its configuration: off on loopback, a bearer token beyond it. */
export interface AdminTokenPolicy {
  required: boolean;
  token: string | null;
}

/** SHA-256 digests have equal length whatever was sent, so timingSafeEqual can always compare them. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when `given` is the admin token, compared in constant time. */
export function matchAdminToken(given: string, expected: string): boolean {
  return timingSafeEqual(hashToken(given), hashToken(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
function readBearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Refuses a policy that asks for a token without having one, so a misconfiguration fails closed. */
function assertPolicy(policy: AdminTokenPolicy): void {
  if (policy.required && (policy.token === null || policy.token.length === 0)) {
    throw new AppError('CONFIG_INVALID', 'requireAdminToken is set but no admin token was given.');
  }
}

/**
 * Guards the JSON API: `Authorization: Bearer <token>` when the policy requires it. Missing →
 * ADMIN_TOKEN_REQUIRED (401), wrong → ADMIN_TOKEN_INVALID (403).
 */
export function createApiTokenGuard(policy: AdminTokenPolicy): RequestHandler {
  assertPolicy(policy);
  return (req, _res, next) => {
    if (!policy.required || policy.token === null) return next();
    const given = readBearerToken(req);
    if (given === null) return next(new AppError('ADMIN_TOKEN_REQUIRED'));
    if (!matchAdminToken(given, policy.token)) return next(new AppError('ADMIN_TOKEN_INVALID'));
    return next();
  };
}

/** The request URL without its `token` query parameter, for the redirect that takes it out of history. */
function removeTokenFromUrl(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://placeholder.invalid');
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

/**
 * Guards the console pages that reveal configuration. A browser proves it knows the token once,
 * with `?token=` (the error page has a form for it) or a bearer header; the session then keeps the
 * token's hash, so a restart with a new token locks old sessions out. After `?token=` the browser is
 * redirected to the same page without it, so the token does not stay in the address bar.
 */
export function createConsoleTokenGuard(policy: AdminTokenPolicy): RequestHandler {
  assertPolicy(policy);
  return (req, res, next) => {
    if (!policy.required || policy.token === null) return next();
    const expectedHash = hashToken(policy.token).toString('hex');
    const remembered = req.session.consoleTokenHash;
    if (remembered !== undefined && matchAdminToken(remembered, expectedHash)) return next();
    const bearer = readBearerToken(req);
    if (bearer !== null) return next(matchAdminToken(bearer, policy.token) ? undefined : new AppError('ADMIN_TOKEN_INVALID'));
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    if (fromQuery === null || fromQuery.length === 0) return next(new AppError('ADMIN_TOKEN_REQUIRED'));
    if (!matchAdminToken(fromQuery, policy.token)) return next(new AppError('ADMIN_TOKEN_INVALID'));
    req.session.consoleTokenHash = expectedHash;
    req.session.save((err) => {
      if (err) return next(err);
      res.redirect(303, removeTokenFromUrl(req.originalUrl));
    });
  };
}
