/**
 * The sign-in pages: "Sign in" (loginfmt), "Enter password" (passwd), for a multi-factor user
 * "Approve sign in request" (the number to enter in the Authenticator app; the mock offers the
 * phone's Approve and Deny, Deny ending in AADSTS500121), then "Stay signed in?" (KMSI): "Yes" keeps
 * the IdP session for 90 days, "No" until the browser closes, and "Don't show this again" skips the
 * question in this browser from then on. A temporary password is followed by "Update your
 * password" (current password, new password, confirm). "Forgot my password" opens a stand-in for
 * Microsoft's self-service password reset, which sends the person back to the sign-in. Which page
 * follows which is core/idp/sign-in-steps.ts.
 */
import { type Request, Router } from 'express';
import { PASSWORDLESS_METHODS } from '../../../core/idp/aadsts.js';
import { findSignInUser, verifySignInPassword } from '../../../core/idp/credentials.js';
import { submitPasswordUpdate } from '../../../core/idp/password-update.js';
import { findPasswordUpdate, type PendingTransaction, readStepTenant } from '../../../core/idp/sign-in-steps.js';
import { readPendingStep, readSignInSession } from '../idp-session.js';
import { renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { createIdpFormParser } from './saml2.routes.js';
import { runSignInStep } from './sign-in.flow.js';

function readString(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim().slice(0, 320) : '';
}

/**
 * A password field as typed (never trimmed). Cut one past Entra's 256-character maximum, so a longer
 * one is still refused as too long, rather than stored cut short.
 */
function readPassword(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.slice(0, 257) : '';
}

/** The pending step named by the form's tx, or null when this browser holds no such transaction. */
function readTransaction(req: Request): PendingTransaction | null {
  const tx = readString(req.body, 'tx');
  const step = readPendingStep(req, tx);
  return step ? { tx, step } : null;
}

/**
 * Mounts POST /login, POST /login/password, POST /login/update-password, POST /login/mfa, POST /kmsi
 * and GET /passwordreset.
 */
export function createLoginRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const parse = createIdpFormParser();

  router.post('/login', parse, async (req, res) => {
    const pending = readTransaction(req);
    const loginfmt = readString(req.body, 'loginfmt');
    const user = pending && (await findSignInUser(deps.ctx, readStepTenant(pending.step), loginfmt));
    // One of the "Sign in" page's passwordless stand-ins: the session's method is the one chosen.
    const method = PASSWORDLESS_METHODS.find((m) => m === readString(req.body, 'method'));
    if (method !== undefined) {
      await runSignInStep(req, res, deps, pending, {
        kind: 'passwordless',
        loginfmt,
        user,
        method,
        at: deps.ctx.clock.now().toISOString(),
      });
      return;
    }
    await runSignInStep(req, res, deps, pending, { kind: 'username', loginfmt, user });
  });

  router.post('/login/password', parse, async (req, res) => {
    const pending = readTransaction(req);
    const loginfmt = readString(req.body, 'loginfmt');
    const passwd = typeof req.body?.passwd === 'string' ? (req.body.passwd as string).slice(0, 256) : '';
    const user = pending && (await verifySignInPassword(deps.ctx, readStepTenant(pending.step), loginfmt, passwd));
    await runSignInStep(req, res, deps, pending, { kind: 'password', loginfmt, user, at: deps.ctx.clock.now().toISOString() });
  });

  // "Update your password": only for the user this transaction left waiting on that page.
  router.post('/login/update-password', parse, async (req, res) => {
    const pending = readTransaction(req);
    const waiting = pending && findPasswordUpdate(readSignInSession(req), pending.tx);
    const result = waiting
      ? await submitPasswordUpdate(deps.ctx, waiting, {
          currentPassword: readPassword(req.body, 'currentPassword'),
          newPassword: readPassword(req.body, 'newPassword'),
          confirmPassword: readPassword(req.body, 'confirmNewPassword'),
        })
      : null;
    await runSignInStep(req, res, deps, pending, { kind: 'password-update', result });
  });

  // "Approve sign in request": what the person did in the Authenticator app.
  router.post('/login/mfa', parse, async (req, res) => {
    const approved = readString(req.body, 'action') === 'approve';
    await runSignInStep(req, res, deps, readTransaction(req), { kind: 'second-factor', approved, at: deps.ctx.clock.now().toISOString() });
  });

  // "Stay signed in?": LoginOptions 1 is Yes, 3 is No (Entra's own values).
  router.post('/kmsi', parse, async (req, res) => {
    const event = {
      kind: 'stay-signed-in',
      staySignedIn: readString(req.body, 'LoginOptions') === '1',
      dontShowAgain: readString(req.body, 'DontShowAgain') === 'true',
    } as const;
    await runSignInStep(req, res, deps, readTransaction(req), event);
  });

  // "Forgot my password": the stand-in for "Get back into your account". A live transaction of this
  // browser gets a way back to its "Enter password"; anything else starts a sign-in from My Apps.
  // A repeated query parameter is a list, read as absent.
  router.get('/passwordreset', (req, res) => {
    const tx = readString(req.query, 'tx');
    const live = readPendingStep(req, tx) !== null;
    renderIdpPage(res, deps.views, 'password-reset.njk', { tx: live ? tx : null, username: readString(req.query, 'username') });
  });

  return router;
}
