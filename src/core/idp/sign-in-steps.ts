/**
 * Which page of the mock Entra's sign-in comes next, decided from a snapshot of the browser's state
 * and what the browser just did. Pure: the route reads the session, calls decideSignInStep, makes the
 * session writes it returns, in order, then draws the decision (a "post" decision is answered by
 * completeSignIn in sso.ts, which has the app and the user).
 *
 * The steps, as Entra orders them: "Sign in" (the username), "Enter password", for a temporary
 * password "Update your password", for a multi-factor user "Approve sign in request", then "Stay
 * signed in?" unless this browser said not to ask. The
 * user is signed in to the IdP only once every factor is given. A sign-in that arrives while someone
 * is signed in to the tenant is answered at once, unless it carries ForceAuthn or the console's
 * "Sign in as someone else" asked for credentials; IsPassive without a sign-in answers NoPassive.
 */
import { AppError } from '../errors.js';
import { isAccountEnabled } from './directory.js';
import type {
  PendingStep,
  PendingTransaction,
  SessionWrite,
  SignInDecision,
  SignInEvent,
  SignInSession,
  SignInStep,
} from './sign-in-step-types.js';
import type { SignedInUser } from './sso.js';
import { isPasswordTemporary } from './temporary-password.js';

export type {
  CredentialsProblem,
  PasswordUpdateProblem,
  PasswordUpdateResult,
  PendingStep,
  PendingTransaction,
  SessionWrite,
  SignInDecision,
  SignInEvent,
  SignInSession,
  SignInStep,
} from './sign-in-step-types.js';

/** The signed-in user when they belong to `tenantId` (any tenant when null), else null. */
export function findSignedInUser(user: SignedInUser | null, tenantId: string | null): SignedInUser | null {
  if (!user) return null;
  return tenantId === null || user.tenantId === tenantId ? user : null;
}

/** The tenant a step signs in to; a My Apps sign-in may be of any tenant (null). */
export function readStepTenant(step: PendingStep): string | null {
  return step.target === 'sso' ? step.signIn.tenantId : null;
}

const ASK_USERNAME: SignInDecision = { kind: 'ask-credentials', prompt: 'username', loginfmt: '', problem: null };

/** Answers a step at once when the session allows it: My Apps for anyone signed in, SSO for the tenant's user without ForceAuthn. */
function answerIfSignedIn(session: SignInSession, tx: string | null, step: PendingStep): SignInStep | null {
  const drop: SessionWrite[] = tx === null ? [] : [{ kind: 'drop-pending', tx }];
  if (step.target === 'myapps') {
    return session.user ? { decision: { kind: 'redirect', location: '/myapps' }, writes: drop } : null;
  }
  const user = findSignedInUser(session.user, step.signIn.tenantId);
  if (!user || step.signIn.forceAuthn) return null;
  return { decision: { kind: 'post', signIn: step.signIn, user }, writes: drop };
}

/** Answers the step if the session allows it, or shows "Sign in" again; `writes` come first. */
function answerOrAsk(session: SignInSession, tx: string, step: PendingStep, writes: SessionWrite[]): SignInStep {
  const answered = answerIfSignedIn(session, tx, step);
  return answered ? { decision: answered.decision, writes: [...writes, ...answered.writes] } : { decision: ASK_USERNAME, writes };
}

/** A new sign-in: "Sign in as someone else" makes it ForceAuthn once, then it is answered, refused (IsPassive) or asks. */
function decideStart(session: SignInSession, requested: PendingStep): SignInStep {
  // The flag is for the console's Test, an SSO sign-in; My Apps leaves it for the next one.
  const fresh = requested.target === 'sso' && session.freshSignIn;
  const writes: SessionWrite[] = fresh ? [{ kind: 'clear-fresh-sign-in' }] : [];
  const step: PendingStep =
    fresh && requested.target === 'sso' ? { target: 'sso', signIn: { ...requested.signIn, forceAuthn: true } } : requested;
  if (step.target === 'sso' && step.signIn.isPassive && !findSignedInUser(session.user, step.signIn.tenantId)) {
    return { decision: { kind: 'post-no-passive', signIn: step.signIn }, writes };
  }
  const answered = answerIfSignedIn(session, null, step);
  if (answered) return { decision: answered.decision, writes: [...writes, ...answered.writes] };
  // A ForceAuthn step is answered only after the password, so it waits here whoever is signed in.
  return { decision: ASK_USERNAME, writes: [...writes, { kind: 'store-pending', step }] };
}

/**
 * Every factor given: signs the user in, marks a ForceAuthn step as satisfied, then asks "Stay
 * signed in?" unless this browser said not to, or answers the step.
 */
function finishAuthentication(session: SignInSession, pending: PendingTransaction, who: SignedInUser, before: SessionWrite[]): SignInStep {
  const step: PendingStep =
    pending.step.target === 'sso' ? { target: 'sso', signIn: { ...pending.step.signIn, forceAuthn: false } } : pending.step;
  const writes: SessionWrite[] = [
    ...before,
    { kind: 'sign-in', user: who, keepParticipants: session.user?.objectId === who.objectId },
    { kind: 'replace-pending', tx: pending.tx, step },
  ];
  if (!session.kmsiHidden) return { decision: { kind: 'ask-stay-signed-in', loginfmt: who.userPrincipalName }, writes };
  return answerOrAsk({ ...session, user: who, secondFactor: null }, pending.tx, step, writes);
}

/** The password was checked (`user` is null when it was wrong or the user unknown). */
function decidePassword(
  session: SignInSession,
  pending: PendingTransaction,
  event: Extract<SignInEvent, { kind: 'password' }>,
): SignInStep {
  const { user, loginfmt } = event;
  if (!user) return { decision: { kind: 'ask-credentials', prompt: 'password', loginfmt, problem: 'wrong-password' }, writes: [] };
  // "Account enabled" is No: refused after the password, so the state is not told to someone without it.
  if (!isAccountEnabled(user))
    return { decision: { kind: 'ask-credentials', prompt: 'password', loginfmt, problem: 'account-disabled' }, writes: [] };
  const who: SignedInUser = {
    tenantId: user.tenantId,
    objectId: user.objectId,
    userPrincipalName: user.userPrincipalName,
    authMethod: user.authMethod,
    authnInstant: event.at,
  };
  // A temporary password proves who it is, but the user must choose a new one before anything else.
  if (isPasswordTemporary(user)) {
    return {
      decision: { kind: 'ask-password-update', loginfmt: user.userPrincipalName, problem: null },
      writes: [{ kind: 'store-password-update', tx: pending.tx, user: who }],
    };
  }
  return continueAfterPassword(session, pending, who, []);
}

/** The password is settled (typed, or updated): a multi-factor user is asked for the second factor, anyone else is done. */
function continueAfterPassword(session: SignInSession, pending: PendingTransaction, who: SignedInUser, before: SessionWrite[]): SignInStep {
  if (who.authMethod === 'multi-factor') {
    return {
      decision: { kind: 'ask-credentials', prompt: 'second-factor', loginfmt: who.userPrincipalName, problem: null },
      writes: [...before, { kind: 'store-second-factor', tx: pending.tx, user: who }],
    };
  }
  return finishAuthentication(session, pending, who, before);
}

/** The user waiting to update a temporary password in transaction `tx`, or null. */
export function findPasswordUpdate(session: SignInSession, tx: string): SignedInUser | null {
  return session.passwordUpdate?.tx === tx ? session.passwordUpdate.user : null;
}

/**
 * "Update your password" submitted: a refusal shows the page again with nothing changed; once the
 * new password is stored the sign-in goes on as after the password. Nobody waiting (another tab
 * finished it, or the page is replayed) ends on the expired-request page.
 */
function decidePasswordUpdate(
  session: SignInSession,
  pending: PendingTransaction,
  event: Extract<SignInEvent, { kind: 'password-update' }>,
): SignInStep {
  const waiting = findPasswordUpdate(session, pending.tx);
  if (waiting === null || event.result === null) {
    const writes: SessionWrite[] = waiting === null ? [] : [{ kind: 'drop-password-update' }];
    return { decision: { kind: 'error-page', error: new AppError('IDP_SIGN_IN_EXPIRED') }, writes };
  }
  if (!event.result.ok) {
    return { decision: { kind: 'ask-password-update', loginfmt: waiting.userPrincipalName, problem: event.result.problem }, writes: [] };
  }
  return continueAfterPassword(session, pending, waiting, [{ kind: 'drop-password-update' }]);
}

/**
 * A passwordless sign-in (the mock's stand-ins for Windows Hello, a security key, a guest's one-time
 * passcode): the session's method is the one chosen, whatever the user's own; an unknown user or a
 * disabled account is told on "Sign in", as for a typed username.
 */
function decidePasswordless(
  session: SignInSession,
  pending: PendingTransaction,
  event: Extract<SignInEvent, { kind: 'passwordless' }>,
): SignInStep {
  const { user, loginfmt } = event;
  if (!user) return { decision: { kind: 'ask-credentials', prompt: 'username', loginfmt, problem: 'unknown-user' }, writes: [] };
  if (!isAccountEnabled(user))
    return { decision: { kind: 'ask-credentials', prompt: 'username', loginfmt, problem: 'account-disabled' }, writes: [] };
  const who: SignedInUser = {
    tenantId: user.tenantId,
    objectId: user.objectId,
    userPrincipalName: user.userPrincipalName,
    authMethod: event.method,
    authnInstant: event.at,
  };
  return finishAuthentication(session, pending, who, []);
}

/** "Approve sign in request": the prompt is answered once, whatever the answer; Deny is AADSTS500121. */
function decideSecondFactor(
  session: SignInSession,
  pending: PendingTransaction,
  event: Extract<SignInEvent, { kind: 'second-factor' }>,
): SignInStep {
  const waiting = session.secondFactor?.tx === pending.tx ? session.secondFactor : null;
  if (!waiting) return { decision: { kind: 'error-page', error: new AppError('IDP_SIGN_IN_EXPIRED') }, writes: [] };
  const writes: SessionWrite[] = [{ kind: 'drop-second-factor' }];
  if (!event.approved) return { decision: { kind: 'error-page', error: new AppError('IDP_AADSTS500121') }, writes };
  // The factor's time is the authentication instant, as Entra reports it.
  return finishAuthentication(session, pending, { ...waiting.user, authnInstant: event.at }, writes);
}

/**
 * The next page and the session writes for what the browser did. `pending` is the transaction the
 * page's form named (null when the browser holds no such transaction, or for a new sign-in).
 */
export function decideSignInStep(session: SignInSession, pending: PendingTransaction | null, event: SignInEvent): SignInStep {
  if (event.kind === 'start') return decideStart(session, event.step);
  if (pending === null) return { decision: { kind: 'error-page', error: new AppError('IDP_SIGN_IN_EXPIRED') }, writes: [] };
  switch (event.kind) {
    case 'username':
      return event.user
        ? { decision: { kind: 'ask-credentials', prompt: 'password', loginfmt: event.user.userPrincipalName, problem: null }, writes: [] }
        : { decision: { kind: 'ask-credentials', prompt: 'username', loginfmt: event.loginfmt, problem: 'unknown-user' }, writes: [] };
    case 'password':
      return decidePassword(session, pending, event);
    case 'passwordless':
      return decidePasswordless(session, pending, event);
    case 'second-factor':
      return decideSecondFactor(session, pending, event);
    case 'password-update':
      return decidePasswordUpdate(session, pending, event);
    case 'stay-signed-in': {
      // Yes needs someone signed in: answering the question straight after a password that still owes a factor keeps nothing.
      const writes: SessionWrite[] = [
        ...(event.staySignedIn && session.user ? [{ kind: 'stay-signed-in' } as const] : []),
        ...(event.dontShowAgain ? [{ kind: 'hide-kmsi' } as const] : []),
      ];
      return answerOrAsk(session, pending.tx, pending.step, writes);
    }
  }
}
