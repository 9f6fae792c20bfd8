/**
 * The sign-in pages' adapter to core/idp/sign-in-steps.ts, shared by SP-initiated, IdP-initiated and
 * My Apps sign-in and by the login pages: read the browser's state, ask the core what comes next,
 * make the session writes, draw the page.
 */
import { randomInt } from 'node:crypto';
import type { Request, Response } from 'express';
import { describeError } from '../../../core/errors.js';
import { recordCredentialsProblem, recordSignInOutcome, recordUserRefusal } from '../../../core/idp/sign-in-attempts.js';
import {
  type CredentialsProblem,
  decideSignInStep,
  type PasswordUpdateProblem,
  type PendingStep,
  type PendingTransaction,
  type SignInDecision,
  type SignInEvent,
  type SignInSession,
} from '../../../core/idp/sign-in-steps.js';
import { buildPassiveFailure, completeSignIn, type SignInOutcome } from '../../../core/idp/sso.js';
import { TEMPORARY_PASSWORD_MESSAGES } from '../../../core/idp/temporary-password.js';
import { applySessionWrites, readSignInSession, recordParticipant } from '../idp-session.js';
import { keepSignInAttemptIds, renderEntraErrorPage, renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/**
 * Entra's words for a credentials page shown again, the data-error the page marks it with and the
 * AADSTS number Entra's page carries for it (as real Entra's sErrorCode), read by scripts and tests.
 */
const PROBLEMS: Record<CredentialsProblem, { message: string; errorCode?: string; aadsts?: string | undefined }> = {
  'unknown-user': { message: 'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.' },
  'wrong-password': { message: describeError('IDP_BAD_CREDENTIALS').message, aadsts: describeError('IDP_BAD_CREDENTIALS').aadsts },
  // AADSTS50057 as the sign-in page words it (wording unconfirmed).
  'account-disabled': {
    message: 'Your account has been disabled. Contact your administrator to enable it, then try again.',
    errorCode: 'account-disabled',
    aadsts: '50057',
  },
};

/**
 * "Update your password" shown again: the field the refusal sits under and its words. Entra's own
 * wording for these refusals is not documented; these are inferred (the complexity rule is the one
 * "Create new user" states), and a wrong current password carries AADSTS50126, Entra's code for an
 * incorrect password.
 */
const UPDATE_PROBLEMS: Record<PasswordUpdateProblem, { field: string; message: string; aadsts?: string }> = {
  'wrong-current-password': {
    field: 'currentPassword',
    message: 'Your current password is incorrect. Type the password you signed in with.',
    aadsts: '50126',
  },
  'weak-password': { field: 'newPassword', message: TEMPORARY_PASSWORD_MESSAGES.weak },
  'password-mismatch': { field: 'confirmNewPassword', message: "The passwords don't match. Type the new password again." },
  'password-reused': { field: 'newPassword', message: TEMPORARY_PASSWORD_MESSAGES.reused },
};

/** Sends an outcome: the "Working..." page that posts to the SP, or Entra's error page. */
function sendOutcome(res: Response, deps: IdpRouteDeps, outcome: SignInOutcome): void {
  if (outcome.kind === 'error-page') {
    renderEntraErrorPage(res, deps.views, deps.ctx, outcome.error);
    return;
  }
  if (outcome.error) res.setHeader('x-idp-error', outcome.error.code);
  renderIdpPage(res, deps.views, 'working.njk', {
    acsUrl: outcome.acsUrl,
    samlResponse: outcome.samlResponse,
    relayState: outcome.relayState,
  });
}

/** What the step was decided from: the sign-in logs record the attempt from it. */
interface StepInput {
  session: SignInSession;
  pending: PendingTransaction | null;
  event: SignInEvent;
}

/**
 * Records in the sign-in logs an attempt that a decision ends or refuses: a credentials page shown
 * again, a refused second factor. Posts are recorded with their outcome (sendDecision).
 */
async function recordDecision(res: Response, deps: IdpRouteDeps, decision: SignInDecision, input: StepInput): Promise<void> {
  const step = input.pending?.step;
  if (step === undefined) return;
  if (
    decision.kind === 'ask-credentials' &&
    decision.problem !== null &&
    (input.event.kind === 'username' || input.event.kind === 'password' || input.event.kind === 'passwordless')
  ) {
    const { loginfmt, user } = input.event;
    keepSignInAttemptIds(res, await recordCredentialsProblem(deps.ctx, step, { loginfmt, user, problem: decision.problem }));
    return;
  }
  const who = input.session.secondFactor?.user ?? null;
  if (decision.kind === 'error-page' && input.event.kind === 'second-factor' && who !== null) {
    keepSignInAttemptIds(res, await recordUserRefusal(deps.ctx, step, who, decision.error));
  }
}

/** Draws a decision of the sign-in steps for transaction `tx`. */
async function sendDecision(req: Request, res: Response, deps: IdpRouteDeps, tx: string, decision: SignInDecision): Promise<void> {
  switch (decision.kind) {
    case 'ask-credentials': {
      const problem = decision.problem === null ? null : PROBLEMS[decision.problem];
      const error = problem?.message ?? null;
      if (decision.prompt === 'username') renderIdpPage(res, deps.views, 'sign-in.njk', { tx, loginfmt: decision.loginfmt, error });
      else if (decision.prompt === 'password')
        renderIdpPage(res, deps.views, 'password.njk', {
          tx,
          loginfmt: decision.loginfmt,
          error,
          errorCode: problem?.errorCode,
          aadsts: problem?.aadsts,
        });
      else renderIdpPage(res, deps.views, 'mfa.njk', { tx, loginfmt: decision.loginfmt, number: String(randomInt(10, 100)) });
      return;
    }
    case 'ask-password-update': {
      const problem = decision.problem === null ? null : { code: decision.problem, ...UPDATE_PROBLEMS[decision.problem] };
      renderIdpPage(res, deps.views, 'update-password.njk', { tx, loginfmt: decision.loginfmt, problem });
      return;
    }
    case 'ask-stay-signed-in':
      renderIdpPage(res, deps.views, 'kmsi.njk', { tx, loginfmt: decision.loginfmt });
      return;
    case 'post': {
      const outcome = await completeSignIn(deps.ctx, decision.signIn, decision.user);
      keepSignInAttemptIds(res, await recordSignInOutcome(deps.ctx, decision.signIn, decision.user, outcome.error));
      if (outcome.kind === 'post' && outcome.participant) recordParticipant(req, outcome.participant);
      sendOutcome(res, deps, outcome);
      return;
    }
    case 'post-no-passive': {
      const outcome = await buildPassiveFailure(deps.ctx, decision.signIn);
      keepSignInAttemptIds(res, await recordSignInOutcome(deps.ctx, decision.signIn, null, outcome.error));
      sendOutcome(res, deps, outcome);
      return;
    }
    case 'redirect':
      res.redirect(303, decision.location);
      return;
    case 'error-page':
      renderEntraErrorPage(res, deps.views, deps.ctx, decision.error);
      return;
  }
}

/** One step of a sign-in: what the browser did, for the transaction its form named (null when none or unknown). */
export async function runSignInStep(
  req: Request,
  res: Response,
  deps: IdpRouteDeps,
  pending: PendingTransaction | null,
  event: SignInEvent,
): Promise<void> {
  const session = readSignInSession(req);
  const { decision, writes } = decideSignInStep(session, pending, event);
  const stored = await applySessionWrites(req, res, writes);
  await recordDecision(res, deps, decision, { session, pending, event });
  await sendDecision(req, res, deps, stored ?? pending?.tx ?? '', decision);
}

/** Starts a sign-in: answered at once when the session allows it, NoPassive for IsPassive without one, else "Sign in". */
export async function startStep(req: Request, res: Response, deps: IdpRouteDeps, step: PendingStep): Promise<void> {
  await runSignInStep(req, res, deps, null, { kind: 'start', step });
}
