/**
 * The vocabulary of the mock Entra's sign-in steps (sign-in-steps.ts): the browser's state as the
 * steps read it, what the browser did, the page that comes next and the session writes to make.
 * Plain data only, so the route can copy it in and out of the session.
 */
import type { AppError } from '../errors.js';
import type { SignInMethod } from './aadsts.js';
import type { IdpUser } from './directory.js';
import type { PendingSignIn, SignedInUser } from './sso.js';

/** What waits for the user to sign in: an SSO answer, or the My Apps page. */
export type PendingStep = { target: 'sso'; signIn: PendingSignIn } | { target: 'myapps' };

/** A pending step and the transaction id it is kept under (a hidden field of every sign-in page). */
export interface PendingTransaction {
  tx: string;
  step: PendingStep;
}

/** The browser's state as the sign-in reads it: plain data, copied out of the session and cookies. */
export interface SignInSession {
  /** Who is signed in to the IdP (every factor given), in whichever tenant; null when nobody is. */
  user: SignedInUser | null;
  /** A multi-factor user past the password, waiting for the Authenticator app in transaction `tx`. */
  secondFactor: { tx: string; user: SignedInUser } | null;
  /** A user past a temporary password, asked to update it ("Update your password") in transaction `tx`. */
  passwordUpdate: { tx: string; user: SignedInUser } | null;
  /** The console's "Sign in as someone else": the next SSO sign-in asks for credentials. */
  freshSignIn: boolean;
  /** This browser answered "Don't show this again" to "Stay signed in?". */
  kmsiHidden: boolean;
}

/** What the browser just did. `at` is the time the factor was given (the AuthnInstant). */
export type SignInEvent =
  | { kind: 'start'; step: PendingStep }
  | { kind: 'username'; loginfmt: string; user: IdpUser | null }
  | { kind: 'password'; loginfmt: string; user: IdpUser | null; at: string }
  /** A passwordless stand-in chosen on "Sign in" for the user typed there (no password, no push). */
  | { kind: 'passwordless'; loginfmt: string; user: IdpUser | null; method: SignInMethod; at: string }
  | { kind: 'second-factor'; approved: boolean; at: string }
  /** "Update your password" was submitted: its verdict, or null when nobody waits for it in this transaction. */
  | { kind: 'password-update'; result: PasswordUpdateResult | null }
  | { kind: 'stay-signed-in'; staySignedIn: boolean; dontShowAgain: boolean };

/** Why a credentials page is shown again; the route words it as Entra does. */
export type CredentialsProblem = 'unknown-user' | 'wrong-password' | 'account-disabled';

/** Why "Update your password" is shown again; the route words it and names the field. */
export type PasswordUpdateProblem = 'wrong-current-password' | 'weak-password' | 'password-mismatch' | 'password-reused';

/** The verdict on a submitted "Update your password" (password-update.ts). */
export type PasswordUpdateResult = { ok: true } | { ok: false; problem: PasswordUpdateProblem };

/** The page the browser gets next. */
export type SignInDecision =
  | { kind: 'ask-credentials'; prompt: 'username' | 'password'; loginfmt: string; problem: CredentialsProblem | null }
  | { kind: 'ask-credentials'; prompt: 'second-factor'; loginfmt: string; problem: null }
  /** "Update your password", after a temporary password and before any second factor. */
  | { kind: 'ask-password-update'; loginfmt: string; problem: PasswordUpdateProblem | null }
  | { kind: 'ask-stay-signed-in'; loginfmt: string }
  /** Answer the SSO step for `user` (completeSignIn builds the response, or Entra's error page). */
  | { kind: 'post'; signIn: PendingSignIn; user: SignedInUser }
  /** IsPassive and nobody signed in: a NoPassive response to the SP (SAML Core 3.4.1). */
  | { kind: 'post-no-passive'; signIn: PendingSignIn }
  | { kind: 'redirect'; location: string }
  | { kind: 'error-page'; error: AppError };

/** A change to the browser's state, made by the route in the order given. */
export type SessionWrite =
  /** Keep a new pending step; the route makes its transaction id and draws it into the page. */
  | { kind: 'store-pending'; step: PendingStep }
  | { kind: 'replace-pending'; tx: string; step: PendingStep }
  | { kind: 'drop-pending'; tx: string }
  | { kind: 'clear-fresh-sign-in' }
  | { kind: 'store-second-factor'; tx: string; user: SignedInUser }
  | { kind: 'drop-second-factor' }
  | { kind: 'store-password-update'; tx: string; user: SignedInUser }
  | { kind: 'drop-password-update' }
  /** Sign the user in on a new session id, pending steps carried over; the same user keeps the session participants. */
  | { kind: 'sign-in'; user: SignedInUser; keepParticipants: boolean }
  /** "Stay signed in?" Yes: the session outlives the browser session. */
  | { kind: 'stay-signed-in' }
  /** "Don't show this again", remembered by the browser. */
  | { kind: 'hide-kmsi' };

export interface SignInStep {
  decision: SignInDecision;
  writes: SessionWrite[];
}
