import { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import { describeError } from '../../core/errors.js';
import { consumeSamlResponse, recordUnreadableAcsPost } from '../../core/sp/acs.js';
import { describeIdpRefusal, type IdpRefusal } from '../../core/sp/idp-refusal.js';
import { type CheckResult, selectHeadlineFailure, type Trace } from '../../core/sp/traces.js';
import { createAcsFormParser } from '../middleware/body.middleware.js';
import { mintCsrfToken } from '../middleware/csrf.middleware.js';
import { classifyError } from '../middleware/error.middleware.js';
import { SESSION_COOKIE_NAME } from '../middleware/session.middleware.js';
import { renderPage } from '../render.js';
import { buildSectionPath } from './console-account.routes.js';
import type { RouteDeps } from './route-deps.js';

/** Mimecast's own words on the failure page. */
export const MIMECAST_FAILURE_TEXT =
  "Sorry, we're having trouble logging you in. This is because we can't validate your identity. Please tell your organization's administrator that this is likely to be caused by a SAML issue.";

/**
 * The failure page's status: a payload fault the client sent (missing field, too large, not
 * base64 …) keeps its 4xx; every other refusal is 403, as an identity that cannot be validated is.
 */
export function chooseFailureStatus(failing: CheckResult | undefined): number {
  if (failing?.code === undefined) return 403;
  const { status } = describeError(failing.code);
  return status >= 400 && status < 500 ? status : 403;
}

/**
 * The failure page's model beyond the first failing check: when the IdP refused, its status, its
 * words and the setting that fixes it, linked to the console section that holds it when the
 * account is known.
 */
export function describeFailure(trace: Trace): { trace: Trace; refusal: IdpRefusal | null; fixHref: string | null } {
  const refusal = describeIdpRefusal(trace.summary.idpStatus);
  const section = refusal?.fix.section;
  const fixHref = section !== undefined && trace.accountCode !== null ? buildSectionPath(trace.accountCode, section) : null;
  return { trace, refusal, fixHref };
}

/** Promise forms of express-session's callbacks. */
function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}
function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}
function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
}

/** The ACS (POST /login/saml) and sign-out. */
export function createAcsRouter({ ctx, views, logger }: RouteDeps): Router {
  const router = Router();

  // Reached only when the form parser refused the body: the refusal is traced, then answered as usual.
  const traceRefusedBody: ErrorRequestHandler = async (err, _req, res, next) => {
    const refusal = classifyError(err);
    if (refusal !== null && refusal.status < 500) {
      try {
        const trace = await recordUnreadableAcsPost(ctx, refusal);
        logger.info({ requestId: res.locals.requestId, traceId: trace.id, firstFailure: refusal.code }, 'saml response refused unread');
      } catch (traceError) {
        logger.warn({ err: traceError, requestId: res.locals.requestId }, 'could not record the refused ACS post');
      }
    }
    next(err);
  };

  // No CSRF token here, on purpose: the ACS receives a cross-site POST from the IdP's page by design
  // (SAML Bindings 3.5), which could never carry this site's token. The response's own signature,
  // audience, recipient, InResponseTo and replay checks are what authenticate it instead.
  router.post('/login/saml', ...createAcsFormParser(), traceRefusedBody, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A repeated field arrives as an array; it is not a usable message, so it counts as missing.
    const samlResponse = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : undefined;
    const relayState = typeof body.RelayState === 'string' && body.RelayState !== '' ? body.RelayState : null;
    const outcome = await consumeSamlResponse(ctx, { samlResponse, relayState });
    // One line per response with the trace to open; what the message said stays in the trace, not the log.
    const { summary } = outcome.trace;
    logger.info(
      {
        requestId: res.locals.requestId,
        traceId: outcome.trace.id,
        accountCode: outcome.trace.accountCode,
        outcome: outcome.trace.outcome,
        flow: summary.flow,
        firstFailure: summary.firstFailure,
      },
      'saml response',
    );
    if (outcome.ok) {
      // A new session id at sign-in, so an id planted before sign-in is worth nothing after it.
      const consoleTokenHash = req.session.consoleTokenHash;
      await regenerateSession(req);
      req.session.user = outcome.session;
      if (consoleTokenHash !== undefined) req.session.consoleTokenHash = consoleTokenHash;
      // A fresh form token with the fresh id: one planted or seen before sign-in does not carry over.
      mintCsrfToken(req.session);
      await saveSession(req);
      res.redirect(303, outcome.session.landing);
      return;
    }
    const failing = selectHeadlineFailure(outcome.trace.checks);
    const status = chooseFailureStatus(failing);
    renderPage(res, views, 'failure.njk', { failureText: MIMECAST_FAILURE_TEXT, ...describeFailure(outcome.trace), failing }, status);
    return;
  });

  // The CSRF protection mounted in sp-app.ts checks the form token before this runs.
  router.post('/logout', async (req, res) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE_NAME, { path: '/' });
    res.redirect(303, '/login/saml?signedOut=1');
    return;
  });

  return router;
}
