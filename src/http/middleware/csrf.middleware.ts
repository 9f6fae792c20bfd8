import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type session from 'express-session';
import { AppError } from '../../core/errors.js';
import { foldAsciiCase } from '../../core/saml/ascii-case.js';

declare module 'express-session' {
  interface SessionData {
    /** The synchronizer token every state-changing console form must send back. */
    csrfToken: string;
  }
}

/** The hidden form field the token travels in. */
export const CSRF_FIELD = '_csrf';
/** The header a script may send the token in instead. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Forms outside the console carry a token and a button, nothing more: a few kilobytes is plenty. The
 * console's own forms are larger and are parsed before this middleware (createConsoleFormParser).
 */
const CSRF_FORM_LIMIT = '8kb';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Gives the session a fresh token (at sign-in, so one minted before it is worth nothing) and returns it. */
export function mintCsrfToken(sessionData: Partial<session.SessionData>): string {
  const token = randomBytes(32).toString('base64url');
  sessionData.csrfToken = token;
  return token;
}

/** True when the session holds something a forged request could act on (a sign-in, console access). */
function holdsState(sessionData: Partial<session.SessionData>): boolean {
  return sessionData.user !== undefined || sessionData.consoleTokenHash !== undefined;
}

/** Constant-time comparison; hashing first makes both sides the same length whatever was sent. */
function matchToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function readSubmittedToken(req: Request): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  const field = body?.[CSRF_FIELD];
  if (typeof field === 'string' && field !== '') return field;
  const header = req.get(CSRF_HEADER);
  return header !== undefined && header !== '' ? header : null;
}

/**
 * The session's token, minted first when it has none, also put in res.locals.csrfToken for the view.
 * For pages whose forms change state for a visitor whose session holds nothing yet (the console on
 * loopback, which has no sign-in): their POSTs use createCsrfRequirement.
 */
export function ensureCsrfToken(req: Request, res: Response): string {
  const token = req.session.csrfToken ?? mintCsrfToken(req.session);
  res.locals.csrfToken = token;
  return token;
}

/**
 * Refuses a state-changing request unless it sends the session's token, whether or not the session
 * holds anything else. createCsrfProtection lets an empty session pass (there is nothing to act on);
 * a console form on loopback acts on the harness itself, so a cross-site form posting without any
 * cookie must be refused too. Mount it on those routes, after createCsrfProtection.
 */
export function createCsrfRequirement(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const expected = req.session.csrfToken;
    const given = readSubmittedToken(req);
    if (expected === undefined || given === null || !matchToken(given, expected)) return next(new AppError('CSRF_TOKEN_INVALID'));
    return next();
  };
}

/** Options: the paths a cross-site POST must reach by design. */
export interface CsrfOptions {
  /** Lower-case paths without a trailing slash, matched as Express routes them (case-insensitive). */
  exemptPaths: readonly string[];
}

/**
 * CSRF protection for the console, the synchronizer token pattern bound to the session: a session
 * that holds a sign-in or console access gets a random token (res.locals.csrfToken, which every POST
 * form in the views carries as `_csrf`), and every POST/PUT/PATCH/DELETE must send it back in that
 * field or the X-CSRF-Token header, or it is refused with CSRF_TOKEN_INVALID (403).
 *
 * A request whose session holds nothing passes: no one is signed in, so there is nothing a forged
 * request could act on (signing out a browser that is not signed in changes nothing). A future form
 * that creates state for anonymous visitors would need a token minted on its page first.
 *
 * Mount it after the session middleware, after the JSON API (which needs application/json, a type a
 * cross-site page cannot send without a CORS preflight this app never grants, and a bearer token off
 * loopback), and before the routes. SameSite=Lax cookies already keep cross-site POSTs anonymous;
 * this also covers same-site attackers such as another app on another localhost port.
 */
export function createCsrfProtection(options: CsrfOptions): RequestHandler {
  const exempt = new Set(options.exemptPaths);
  const parseForm = express.urlencoded({
    extended: false,
    limit: CSRF_FORM_LIMIT,
    parameterLimit: 10,
    type: 'application/x-www-form-urlencoded',
  });
  return (req, res, next) => {
    if (holdsState(req.session) && req.session.csrfToken === undefined) mintCsrfToken(req.session);
    if (req.session.csrfToken !== undefined) res.locals.csrfToken = req.session.csrfToken;
    if (SAFE_METHODS.has(req.method)) return next();
    if (exempt.has(foldAsciiCase(req.path).replace(/\/$/, ''))) return next();
    parseForm(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!holdsState(req.session)) return next();
      const expected = req.session.csrfToken;
      const given = readSubmittedToken(req);
      if (expected === undefined || given === null || !matchToken(given, expected)) return next(new AppError('CSRF_TOKEN_INVALID'));
      return next();
    });
  };
}
