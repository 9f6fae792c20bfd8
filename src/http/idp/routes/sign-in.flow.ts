/**
 * The steps shared by SP-initiated, IdP-initiated and My Apps sign-in: show the "Sign in" page, or
 * answer at once when this browser is already signed in, and turn an outcome into a page.
 */
import type { Request, Response } from 'express';
import { buildPassiveFailure, completeSignIn, type SignInOutcome } from '../../../core/idp/sso.js';
import { dropPendingStep, type PendingStep, readSignedInUser, recordParticipant, storePendingStep, takeFreshSignIn } from '../idp-session.js';
import { renderEntraErrorPage, renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** Sends an outcome: the "Working..." page that posts to the SP, or Entra's error page. */
export function sendOutcome(res: Response, deps: IdpRouteDeps, outcome: SignInOutcome): void {
  if (outcome.kind === 'error-page') {
    renderEntraErrorPage(res, deps.views, deps.ctx, outcome.error);
    return;
  }
  if (outcome.error) res.setHeader('x-idp-error', outcome.error.code);
  renderIdpPage(res, deps.views, 'working.njk', { acsUrl: outcome.acsUrl, samlResponse: outcome.samlResponse, relayState: outcome.relayState });
}

/** Renders the first sign-in page ("Sign in", field loginfmt) for a transaction. */
export function renderSignInPage(res: Response, deps: IdpRouteDeps, tx: string, data: { loginfmt?: string; error?: string } = {}): void {
  renderIdpPage(res, deps.views, 'sign-in.njk', { tx, loginfmt: data.loginfmt ?? '', error: data.error ?? null });
}

/**
 * Carries a pending step forward once the user is known (or already was): My Apps redirects,
 * SSO completes. Without a signed-in user, nothing happens and false is returned.
 */
export async function resumeStep(req: Request, res: Response, deps: IdpRouteDeps, tx: string, step: PendingStep): Promise<boolean> {
  if (step.target === 'myapps') {
    if (!readSignedInUser(req, null)) return false;
    dropPendingStep(req, tx);
    res.redirect(303, '/myapps');
    return true;
  }
  const user = readSignedInUser(req, step.signIn.tenantId);
  if (!user || step.signIn.forceAuthn) return false;
  dropPendingStep(req, tx);
  const outcome = await completeSignIn(deps.ctx, step.signIn, user);
  if (outcome.kind === 'post' && outcome.participant) recordParticipant(req, outcome.participant);
  sendOutcome(res, deps, outcome);
  return true;
}

/**
 * Starts a step: an existing sign-in answers at once (unless ForceAuthn, or the console's "Sign in as
 * someone else"), IsPassive without one answers NoPassive, otherwise the "Sign in" page is shown.
 */
export async function startStep(req: Request, res: Response, deps: IdpRouteDeps, requested: PendingStep): Promise<void> {
  // "Sign in as someone else" from the console's Test: this one sign-in asks for credentials.
  const step: PendingStep = requested.target === 'sso' && takeFreshSignIn(req) ? { target: 'sso', signIn: { ...requested.signIn, forceAuthn: true } } : requested;
  if (step.target === 'sso' && step.signIn.isPassive && !readSignedInUser(req, step.signIn.tenantId)) {
    sendOutcome(res, deps, await buildPassiveFailure(deps.ctx, step.signIn));
    return;
  }
  const tx = storePendingStep(req, step);
  if (await resumeStep(req, res, deps, tx, step)) return;
  // A ForceAuthn step is resumed only by the password page, so it must not be answered above.
  renderSignInPage(res, deps, tx);
}
