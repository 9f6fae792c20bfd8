/**
 * The mock Entra's browser session: who is signed in (Entra's ESTSAUTH cookie) and the sign-ins
 * waiting for the user, each keyed by a random transaction id that travels in a hidden field. The
 * pending requests may live in the session because every page of the sign-in is same-origin for
 * the IdP (only the final POST to the SP crosses sites, and it needs no IdP cookie). Which page of
 * the sign-in comes next is core/idp/sign-in-steps.ts: this file reads its snapshot of the session
 * (readSignInSession) and makes the writes it decides (applySessionWrites).
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { LogoutChain } from '../../core/idp/logout.js';
import { findSignedInUser, type PendingStep, type SessionWrite, type SignInSession } from '../../core/idp/sign-in-steps.js';
import type { SessionParticipant, SignedInUser } from '../../core/idp/sso.js';

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
  /** A user past a temporary password, asked to update it; not signed in yet. */
  passwordUpdate?: { tx: string; user: SignedInUser };
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

/** "Yes" on "Stay signed in?": Entra's persistent session lasts up to 90 days. */
const PERSISTENT_SESSION_MS = 90 * 24 * 60 * 60 * 1000;

/** The browser's answer to "Don't show this again", kept for a year. */
const KMSI_HIDE_COOKIE = 'ESTSKMSIHIDE';
const KMSI_HIDE_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * express-session over the injected store, with the IdP's own cookie. Behind an https public URL the
 * cookie is SameSite=None; Secure, as Entra's ESTSAUTH is: the SP's sign-in reaches the IdP by a
 * cross-site POST, and only then is the session there to reuse. On plain http it stays Lax (a
 * browser refuses SameSite=None without Secure).
 */
export function createIdpSessionMiddleware(options: { store: session.Store; secret: string; secureCookies: boolean }): RequestHandler {
  return session({
    name: IDP_SESSION_COOKIE_NAME,
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: options.secureCookies ? 'none' : 'lax', secure: options.secureCookies, path: '/' },
  });
}

/** Keeps a pending step and returns its transaction id. */
function storePendingStep(req: Request, step: PendingStep): string {
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
function replacePendingStep(req: Request, tx: string, step: PendingStep): void {
  const pending = req.session.idp?.pending;
  if (pending && Object.hasOwn(pending, tx)) pending[tx] = step;
}

/** Makes the next sign-in of this browser ask for credentials, as ForceAuthn does ("Sign in as someone else"). */
export function requestFreshSignIn(req: Request): void {
  if (!req.session.idp) req.session.idp = {};
  req.session.idp.freshSignIn = true;
}

/** Forgets a transaction once it is answered, so the page cannot be replayed. */
function dropPendingStep(req: Request, tx: string): void {
  const pending = req.session.idp?.pending;
  if (pending && Object.hasOwn(pending, tx)) delete pending[tx];
}

/** The signed-in user when they belong to `tenantId` (or any tenant when null). */
export function readSignedInUser(req: Request, tenantId: string | null): SignedInUser | null {
  return findSignedInUser(req.session.idp?.user ?? null, tenantId);
}

/**
 * Signs a user in: a new session id (no fixation), pending steps carried over, and the session
 * participants too when asked (the same user signing in again, ForceAuthn).
 */
async function signInSession(req: Request, user: SignedInUser, keepParticipants: boolean): Promise<void> {
  const pending = req.session.idp?.pending ?? {};
  const participants = keepParticipants ? (req.session.idp?.participants ?? []) : [];
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

/** What the sign-in steps read: the session's sign-in state and the browser's "Don't show this again". */
export function readSignInSession(req: Request): SignInSession {
  const idp = req.session.idp;
  return {
    user: idp?.user ?? null,
    secondFactor: idp?.secondFactor ?? null,
    passwordUpdate: idp?.passwordUpdate ?? null,
    freshSignIn: idp?.freshSignIn === true,
    kmsiHidden: (req.headers.cookie ?? '').split(';').some((c) => c.trim() === `${KMSI_HIDE_COOKIE}=1`),
  };
}

/** Makes the sign-in steps' writes in order; returns the transaction id of a step it stored, or null. */
export async function applySessionWrites(req: Request, res: Response, writes: readonly SessionWrite[]): Promise<string | null> {
  let stored: string | null = null;
  for (const write of writes) {
    switch (write.kind) {
      case 'store-pending':
        stored = storePendingStep(req, write.step);
        break;
      case 'replace-pending':
        replacePendingStep(req, write.tx, write.step);
        break;
      case 'drop-pending':
        dropPendingStep(req, write.tx);
        break;
      case 'clear-fresh-sign-in':
        delete req.session.idp?.freshSignIn;
        break;
      case 'store-second-factor':
        if (!req.session.idp) req.session.idp = {};
        req.session.idp.secondFactor = { tx: write.tx, user: write.user };
        break;
      case 'drop-second-factor':
        delete req.session.idp?.secondFactor;
        break;
      case 'store-password-update':
        if (!req.session.idp) req.session.idp = {};
        req.session.idp.passwordUpdate = { tx: write.tx, user: write.user };
        break;
      case 'drop-password-update':
        delete req.session.idp?.passwordUpdate;
        break;
      case 'sign-in':
        await signInSession(req, write.user, write.keepParticipants);
        break;
      case 'stay-signed-in':
        if (!req.session.idp) break;
        req.session.cookie.maxAge = PERSISTENT_SESSION_MS;
        // A change the session store sees, so the cookie goes out again with its new lifetime.
        req.session.idp.staySignedIn = true;
        break;
      case 'hide-kmsi':
        res.cookie(KMSI_HIDE_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: KMSI_HIDE_MS });
        break;
    }
  }
  return stored;
}
