import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';
import { foldAsciiCase } from '../../core/saml/ascii-case.js';

/**
 * How an app guards its API, console and SSO log. A configured token is always required, whatever
 * the bind address, the Host header or any forwarding header says: behind a reverse proxy every
 * request arrives from loopback with whatever Host the proxy chose. Without a token only
 * connections whose socket peer is loopback get through.
 */
export interface AdminTokenPolicy {
  /** The admin token (config `adminToken`), or null when none is configured. */
  token: string | null;
  /** Set when the app listens beyond loopback: building it without a token then fails closed. */
  required?: boolean;
}

/** Why a request is refused; the codes are the catalogue's. */
export type AdminRefusal = 'ADMIN_TOKEN_REQUIRED' | 'ADMIN_TOKEN_INVALID' | 'ADMIN_LOOPBACK_ONLY';

/** The verdict on one request to a guarded route. */
export type AdminAccess = { allowed: true } | { allowed: false; code: AdminRefusal };

/** SHA-256 digests have equal length whatever was sent, so timingSafeEqual can always compare them. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when `given` is the admin token, compared in constant time. */
export function matchAdminToken(given: string, expected: string): boolean {
  return timingSafeEqual(hashToken(given), hashToken(expected));
}

/**
 * True when the TCP peer is this machine: 127.0.0.0/8, ::1, or 127.x in its IPv4-mapped form (how
 * a dual-stack socket reports an IPv4 client). Deliberately narrower than the metadata guard's
 * "loopback": a peer address is what the kernel saw, and nothing else is this machine.
 */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  const bare = foldAsciiCase(address);
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIPv4(v4) && v4.startsWith('127.');
}

/**
 * Decides one request to a guarded route. With a token configured, the token must be presented
 * (missing → ADMIN_TOKEN_REQUIRED, wrong → ADMIN_TOKEN_INVALID) and where the request comes from
 * does not count. Without one, only a loopback socket peer passes (ADMIN_LOOPBACK_ONLY otherwise);
 * `peerAddress` must be `req.socket.remoteAddress`, never a header or a proxy-derived `req.ip`.
 */
export function decideAdminAccess(input: {
  configuredToken: string | null;
  presentedToken: string | null;
  peerAddress: string | undefined;
}): AdminAccess {
  const { configuredToken, presentedToken } = input;
  if (configuredToken === null || configuredToken.length === 0) {
    return isLoopbackPeer(input.peerAddress) ? { allowed: true } : { allowed: false, code: 'ADMIN_LOOPBACK_ONLY' };
  }
  if (presentedToken === null || presentedToken.length === 0) return { allowed: false, code: 'ADMIN_TOKEN_REQUIRED' };
  return matchAdminToken(presentedToken, configuredToken) ? { allowed: true } : { allowed: false, code: 'ADMIN_TOKEN_INVALID' };
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
function readBearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The configured token, or null when there is none; refuses a policy that requires one it lacks. */
function readConfiguredToken(policy: AdminTokenPolicy): string | null {
  const token = policy.token !== null && policy.token.length > 0 ? policy.token : null;
  if (policy.required === true && token === null) {
    throw new AppError('CONFIG_INVALID', 'requireAdminToken is set but no admin token was given.');
  }
  return token;
}

/** The request's verdict as an error for `next`, or undefined when it may pass. */
function toError(access: AdminAccess): AppError | undefined {
  return access.allowed ? undefined : new AppError(access.code);
}

/**
 * Guards the JSON API: `Authorization: Bearer <token>` whenever a token is configured (a console
 * cookie does not count: scripts send the header). Without a token, loopback peers only.
 */
export function createApiTokenGuard(policy: AdminTokenPolicy): RequestHandler {
  const configuredToken = readConfiguredToken(policy);
  return (req, _res, next) => {
    next(toError(decideAdminAccess({ configuredToken, presentedToken: readBearerToken(req), peerAddress: req.socket.remoteAddress })));
  };
}

/** The request URL without its `token` query parameter, for the redirect that takes it out of history. */
function removeTokenFromUrl(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://placeholder.invalid');
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

/**
 * Guards the console pages and the SSO log. A browser proves it knows the token once, with
 * `?token=` (the refusal page has a form for it) or a bearer header; the session then keeps the
 * token's hash, so a restart with a new token locks old sessions out. After `?token=` the browser is
 * redirected to the same page without it, so the token does not stay in the address bar (the access
 * log never records a query). Without a token, loopback peers only.
 */
export function createConsoleTokenGuard(policy: AdminTokenPolicy): RequestHandler {
  const configuredToken = readConfiguredToken(policy);
  const expectedHash = configuredToken === null ? null : hashToken(configuredToken).toString('hex');
  return (req, res, next) => {
    const peerAddress = req.socket.remoteAddress;
    if (configuredToken === null || expectedHash === null)
      return next(toError(decideAdminAccess({ configuredToken: null, presentedToken: null, peerAddress })));
    const remembered = req.session.consoleTokenHash;
    if (remembered !== undefined && matchAdminToken(remembered, expectedHash)) return next();
    const bearer = readBearerToken(req);
    if (bearer !== null) return next(toError(decideAdminAccess({ configuredToken, presentedToken: bearer, peerAddress })));
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const access = decideAdminAccess({ configuredToken, presentedToken: fromQuery, peerAddress });
    if (!access.allowed) return next(toError(access));
    req.session.consoleTokenHash = expectedHash;
    req.session.save((err) => {
      if (err) return next(err);
      res.redirect(303, removeTokenFromUrl(req.originalUrl));
    });
  };
}
