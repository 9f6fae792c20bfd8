/**
 * The mock Entra's browser session: who is signed in (Entra's ESTSAUTH cookie) and the sign-ins
 * waiting for the user, each keyed by a random transaction id that travels in a hidden field. The
 * pending requests may live in the session because every page of the sign-in is same-origin for
 * the IdP (only the final POST to the SP crosses sites, and it needs no IdP cookie).
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { LogoutChain } from '../../core/idp/logout.js';
import type { PendingSignIn, SessionParticipant, SignedInUser } from '../../core/idp/sso.js';

/** What waits for the user to sign in: an SSO answer, or the My Apps page. */
export type PendingStep = { target: 'sso'; signIn: PendingSignIn } | { target: 'myapps' };

export interface IdpSessionData {
  user?: SignedInUser;
  pending?: Record<string, PendingStep>;
  /** Apps signed in to during this session (one entry per app, the latest sign-in). */
  participants?: SessionParticipant[];
  /** A single logout going from app to app. */
  logout?: LogoutChain;
  /** "Stay signed in?" was answered Yes: the cookie lasts beyond the browser session. */
  staySignedIn?: boolean;
  /** "Test" › "Sign in as someone else": the next sign-in asks for credentials whatever the session. */
  freshSignIn?: boolean;
  /** A multi-factor user past the password, waiting for the Authenticator app; not signed in yet. */
  secondFactor?: { tx: string; user: SignedInUser };
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

/** At most this many session participants are remembered (far more apps than a person opens). */
const MAX_PARTICIPANTS = 50;

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

/** Replaces the step of a live transaction (after the password, a ForceAuthn step is satisfied). */
export function replacePendingStep(req: Request, tx: string, step: PendingStep): void {
  const pending = req.session.idp?.pending;
  if (pending && Object.hasOwn(pending, tx)) pending[tx] = step;
}

/** Makes the next sign-in of this browser ask for credentials, as ForceAuthn does ("Sign in as someone else"). */
export function requestFreshSignIn(req: Request): void {
  if (!req.session.idp) req.session.idp = {};
  req.session.idp.freshSignIn = true;
}

/** True once after requestFreshSignIn: the caller treats its step as ForceAuthn. */
export function takeFreshSignIn(req: Request): boolean {
  if (!req.session.idp?.freshSignIn) return false;
  delete req.session.idp.freshSignIn;
  return true;
}

/** Keeps a user who passed the password but still owes the second factor (one at a time per browser). */
export function storeSecondFactor(req: Request, pending: NonNullable<IdpSessionData['secondFactor']>): void {
  if (!req.session.idp) req.session.idp = {};
  req.session.idp.secondFactor = pending;
}

/** Takes (and forgets) the second-factor wait of a transaction, or null. */
export function takeSecondFactor(req: Request, tx: string): NonNullable<IdpSessionData['secondFactor']> | null {
  const pending = req.session.idp?.secondFactor;
  if (!pending || pending.tx !== tx) return null;
  delete req.session.idp?.secondFactor;
  return pending;
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

/**
 * Signs a user in: a new session id (no fixation), pending steps carried over, and the session
 * participants too when the same user signs in again (ForceAuthn).
 */
export async function signInSession(req: Request, user: SignedInUser): Promise<void> {
  const pending = req.session.idp?.pending ?? {};
  const previous = req.session.idp?.user;
  const participants = previous?.objectId === user.objectId ? (req.session.idp?.participants ?? []) : [];
  // The admin console's CSRF token survives: the console is not tied to who signs in, and a console
  // tab left open while testing sign-in should still save.
  const csrfToken = req.session.csrfToken;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.idp = { user, pending, participants };
  if (csrfToken !== undefined) req.session.csrfToken = csrfToken;
}

/** Ends the IdP sign-in (pending steps and participants are dropped too). */
export function signOutSession(req: Request): void {
  if (req.session.idp) req.session.idp = {};
}

/** Remembers that the browser was sent a token for an app; a later sign-in to the app replaces it. */
export function recordParticipant(req: Request, participant: SessionParticipant): void {
  const idp = req.session.idp;
  if (!idp?.user) return;
  const others = (idp.participants ?? []).filter((p) => p.appId !== participant.appId);
  idp.participants = [...others, participant].slice(-MAX_PARTICIPANTS);
}

/** The session participants of the signed-in user of `tenantId`. */
export function readParticipants(req: Request, tenantId: string): SessionParticipant[] {
  return readSignedInUser(req, tenantId) ? [...(req.session.idp?.participants ?? [])] : [];
}

/** Keeps (or, with null, forgets) the logout in progress; the user is signed out by then. */
export function storeLogoutChain(req: Request, chain: LogoutChain | null): void {
  if (!req.session.idp) req.session.idp = {};
  if (chain === null) delete req.session.idp.logout;
  else req.session.idp.logout = chain;
}

/** The logout in progress in this browser, or null. */
export function readLogoutChain(req: Request): LogoutChain | null {
  return req.session.idp?.logout ?? null;
}
