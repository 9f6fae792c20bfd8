/**
 * The sign-in pages: "Sign in" (loginfmt), "Enter password" (passwd), for a multi-factor user
 * "Approve sign in request" (the number to enter in the Authenticator app; the mock offers the
 * phone's Approve and Deny, Deny ending in AADSTS500121), then "Stay signed in?" (KMSI): "Yes" keeps
 * the IdP session for 90 days, "No" until the browser closes, and "Don't show this again" skips the
 * question in this browser from then on. The user is signed in only once every factor is given.
 */
import { randomInt } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { AppError } from '../../../core/errors.js';
import { type IdpUser, isAccountEnabled } from '../../../core/idp/directory.js';
import type { SignedInUser } from '../../../core/idp/sso.js';
import { type PendingStep, readPendingStep, replacePendingStep, signInSession, storeSecondFactor, takeSecondFactor } from '../idp-session.js';
import { renderEntraErrorPage, renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { createIdpFormParser } from './saml2.routes.js';
import { renderSignInPage, resumeStep } from './sign-in.flow.js';

const UNKNOWN_USER = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.";
const WRONG_PASSWORD = "Your account or password is incorrect. If you don't remember your password, reset it now.";
/** "Yes" on "Stay signed in?": Entra's persistent session lasts up to 90 days. */
const PERSISTENT_SESSION_MS = 90 * 24 * 60 * 60 * 1000;
/** The browser's answer to "Don't show this again". */
const KMSI_HIDE_COOKIE = 'ESTSKMSIHIDE';

function wantsKmsiHidden(req: Request): boolean {
  return (req.headers.cookie ?? '').split(';').some((c) => c.trim() === `${KMSI_HIDE_COOKIE}=1`);
}

/** AADSTS50057 as the sign-in page words it (wording unconfirmed). */
const ACCOUNT_DISABLED = 'Your account has been disabled. Contact your administrator to enable it, then try again.';

function readString(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim().slice(0, 320) : '';
}

/** The pending step named by the form's tx, or Entra's "start again" page. */
function requireStep(req: Request, res: Response, deps: IdpRouteDeps) {
  const tx = readString(req.body, 'tx');
  const step = readPendingStep(req, tx);
  if (!step) renderEntraErrorPage(res, deps.views, deps.ctx, new AppError('IDP_SIGN_IN_EXPIRED'));
  return step ? { tx, step } : null;
}

async function findUser(deps: IdpRouteDeps, tenantId: string | null, upn: string): Promise<IdpUser | null> {
  if (upn === '') return null;
  return tenantId === null ? deps.ctx.stores.users.findByUpnAnyTenant(upn) : deps.ctx.stores.users.findByUpn(tenantId, upn);
}

/**
 * Every factor given: signs the user in, marks a ForceAuthn step as satisfied, then asks "Stay
 * signed in?" unless this browser said not to, or answers the step.
 */
async function finishAuthentication(req: Request, res: Response, deps: IdpRouteDeps, found: { tx: string; step: PendingStep }, who: SignedInUser): Promise<void> {
  await signInSession(req, who);
  const step = found.step.target === 'sso' ? { target: 'sso' as const, signIn: { ...found.step.signIn, forceAuthn: false } } : found.step;
  replacePendingStep(req, found.tx, step);
  if (!wantsKmsiHidden(req)) {
    renderIdpPage(res, deps.views, 'kmsi.njk', { tx: found.tx, loginfmt: who.userPrincipalName });
    return;
  }
  if (!(await resumeStep(req, res, deps, found.tx, step))) renderSignInPage(res, deps, found.tx);
}

/** Mounts POST /login, POST /login/password, POST /login/mfa and POST /kmsi. */
export function createLoginRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const parse = createIdpFormParser();

  router.post('/login', parse, async (req, res) => {
    const found = requireStep(req, res, deps);
    if (!found) return;
    const loginfmt = readString(req.body, 'loginfmt');
    const tenantId = found.step.target === 'sso' ? found.step.signIn.tenantId : null;
    const user = await findUser(deps, tenantId, loginfmt);
    if (!user) {
      renderSignInPage(res, deps, found.tx, { loginfmt, error: UNKNOWN_USER });
      return;
    }
    renderIdpPage(res, deps.views, 'password.njk', { tx: found.tx, loginfmt: user.userPrincipalName, error: null });
  });

  router.post('/login/password', parse, async (req, res) => {
    const found = requireStep(req, res, deps);
    if (!found) return;
    const loginfmt = readString(req.body, 'loginfmt');
    const passwd = typeof req.body?.passwd === 'string' ? (req.body.passwd as string).slice(0, 256) : '';
    const tenantId = found.step.target === 'sso' ? found.step.signIn.tenantId : ((await findUser(deps, null, loginfmt))?.tenantId ?? null);
    const user = tenantId === null ? null : await deps.ctx.stores.users.verifyPassword(tenantId, loginfmt, passwd);
    if (!user) {
      renderIdpPage(res, deps.views, 'password.njk', { tx: found.tx, loginfmt, error: WRONG_PASSWORD }, 200);
      return;
    }
    // "Account enabled" is No: refused after the password, so the state is not told to someone without it.
    if (!isAccountEnabled(user)) {
      renderIdpPage(res, deps.views, 'password.njk', { tx: found.tx, loginfmt, error: ACCOUNT_DISABLED, errorCode: 'account-disabled' }, 200);
      return;
    }
    const who: SignedInUser = {
      tenantId: user.tenantId,
      objectId: user.objectId,
      userPrincipalName: user.userPrincipalName,
      authMethod: user.authMethod,
      authnInstant: deps.ctx.clock.now().toISOString(),
    };
    if (user.authMethod === 'multi-factor') {
      storeSecondFactor(req, { tx: found.tx, user: who });
      renderIdpPage(res, deps.views, 'mfa.njk', { tx: found.tx, loginfmt: user.userPrincipalName, number: String(randomInt(10, 100)) });
      return;
    }
    await finishAuthentication(req, res, deps, found, who);
  });

  // "Approve sign in request": what the person did in the Authenticator app.
  router.post('/login/mfa', parse, async (req, res) => {
    const found = requireStep(req, res, deps);
    if (!found) return;
    const waiting = takeSecondFactor(req, found.tx);
    if (!waiting) {
      renderEntraErrorPage(res, deps.views, deps.ctx, new AppError('IDP_SIGN_IN_EXPIRED'));
      return;
    }
    if (readString(req.body, 'action') !== 'approve') {
      renderEntraErrorPage(res, deps.views, deps.ctx, new AppError('IDP_AADSTS500121'));
      return;
    }
    // The factor's time is the authentication instant, as Entra reports it.
    await finishAuthentication(req, res, deps, found, { ...waiting.user, authnInstant: deps.ctx.clock.now().toISOString() });
  });

  // "Stay signed in?": LoginOptions 1 is Yes, 3 is No (Entra's own values).
  router.post('/kmsi', parse, async (req, res) => {
    const found = requireStep(req, res, deps);
    if (!found) return;
    if (readString(req.body, 'LoginOptions') === '1' && req.session.idp?.user) {
      req.session.cookie.maxAge = PERSISTENT_SESSION_MS;
      // A change the session store sees, so the cookie goes out again with its new lifetime.
      req.session.idp.staySignedIn = true;
    }
    if (readString(req.body, 'DontShowAgain') === 'true') {
      res.cookie(KMSI_HIDE_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 365 * 24 * 60 * 60 * 1000 });
    }
    if (!(await resumeStep(req, res, deps, found.tx, found.step))) renderSignInPage(res, deps, found.tx);
  });

  return router;
}
