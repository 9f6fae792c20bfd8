/**
 * The mock Entra's browser session: who is signed in (Entra's ESTSAUTH cookie) and the sign-ins
 * waiting for the user, each keyed by a random transaction id that travels in a hidden field. The
 * pending requests may live in the session because every page of the sign-in is same-origin for
 * the IdP (only the final POST to the SP crosses sites, and it needs no IdP cookie).
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { PendingSignIn, SignedInUser } from '../../core/idp/sso.js';

/** What waits for the user to sign in: an SSO answer, or the My Apps page. */
export type PendingStep = { target: 'sso'; signIn: PendingSignIn } | { target: 'myapps' };

export interface IdpSessionData {
  user?: SignedInUser;
  pending?: Record<string, PendingStep>;
}

declare module 'express-session' {
  interface SessionData {
    /** The mock Entra's state; the SP's fields live beside it under other names. */
    idp: IdpSessionData;
  }
}

/** Distinct from the SP's cookie: browsers share cookies between ports of localhost. */
export const IDP_SESSION_COOKIE_NAME = 'ESTSAUTH';

/** A browser keeps at most this many sign-ins pending; the oldest goes first. */
const MAX_PENDING = 20;

/** express-session over the injected store, with the IdP's own cookie. */
export function createIdpSessionMiddleware(options: { store: session.Store; secret: string; secureCookies: boolean }): RequestHandler {
  return session({
    name: IDP_SESSION_COOKIE_NAME,
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' },
  });
}

/** Keeps a pending step and returns its transaction id. */
export function storePendingStep(req: Request, step: PendingStep): string {
  if (!req.session.idp) req.session.idp = {};
  const idp = req.session.idp;
  const pending = { ...(idp.pending ?? {}) };
  const keys = Object.keys(pending);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_PENDING + 1))) delete pending[key];
  const tx = randomUUID();
  pending[tx] = step;
  idp.pending = pending;
  return tx;
}

/** The pending step of a transaction id, or null. */
export function readPendingStep(req: Request, tx: unknown): PendingStep | null {
  if (typeof tx !== 'string') return null;
  const pending = req.session.idp?.pending;
  return pending && Object.hasOwn(pending, tx) ? (pending[tx] ?? null) : null;
}

/** Forgets a transaction once it is answered, so the page cannot be replayed. */
export function dropPendingStep(req: Request, tx: string): void {
  const pending = req.session.idp?.pending;
  if (pending && Object.hasOwn(pending, tx)) delete pending[tx];
}

/** The signed-in user when they belong to `tenantId` (or any tenant when null). */
export function readSignedInUser(req: Request, tenantId: string | null): SignedInUser | null {
  const user = req.session.idp?.user;
  if (!user) return null;
  return tenantId === null || user.tenantId === tenantId ? user : null;
}

/** Signs a user in: a new session id (no fixation), pending steps carried over. */
export async function signInSession(req: Request, user: SignedInUser): Promise<void> {
  const pending = req.session.idp?.pending ?? {};
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.idp = { user, pending };
}

/** Ends the IdP sign-in (pending steps are dropped too). */
export function signOutSession(req: Request): void {
  if (req.session.idp) req.session.idp = {};
}
