/**
 * GET /logout/saml: the SP's single-logout endpoint on the HTTP-Redirect binding (the only one
 * Entra uses for logout). Without a SAML message it starts SP-initiated logout; with SAMLResponse it
 * receives the IdP's answer; with SAMLRequest it handles IdP-initiated logout.
 */
import { type Request, type Response, Router } from 'express';
import { describeError } from '../../core/errors.js';
import { consumeLogoutResponse, SP_LOGOUT_PATH, startSpLogout } from '../../core/sp/logout.js';
import { consumeLogoutRequest } from '../../core/sp/logout-request.js';
import { selectHeadlineFailure, type Trace } from '../../core/sp/traces.js';
import { SESSION_COOKIE_NAME } from '../middleware/session.middleware.js';
import { renderPage } from '../render.js';
import { type RouteDeps, readSingleQuery } from './route-deps.js';

/** The query string exactly as sent: Redirect-binding signatures are checked over these bytes. */
function readRawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
}

function destroySession(req: Request, res: Response): Promise<void> {
  res.clearCookie(SESSION_COOKIE_NAME, { path: '/' });
  // The page drawn next in this request must not show the header of the session just ended.
  res.locals.signedInUser = null;
  return new Promise((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
}

/** The page's status: 200 unless a check failed, then that check's client status (403 by default). */
function chooseStatus(trace: Trace | null): number {
  const failing = trace ? selectHeadlineFailure(trace.checks) : undefined;
  if (failing?.code === undefined) return 200;
  const { status } = describeError(failing.code);
  return status >= 400 && status < 500 ? status : 403;
}

function renderSignedOut(res: Response, deps: RouteDeps, data: { outcome: string; trace: Trace | null; relayState?: string | null }): void {
  const failing = (data.trace ? selectHeadlineFailure(data.trace.checks) : undefined) ?? null;
  renderPage(res, deps.views, 'signed-out.njk', { ...data, failing }, chooseStatus(data.trace));
}

/** Mounts GET /logout/saml. */
export function createSloRouter(deps: RouteDeps): Router {
  const { ctx } = deps;
  const router = Router();

  router.get(SP_LOGOUT_PATH, async (req, res) => {
    const samlRequest = readSingleQuery(req.query.SAMLRequest);
    const samlResponse = readSingleQuery(req.query.SAMLResponse);
    const relayState = readSingleQuery(req.query.RelayState);
    const rawQuery = readRawQuery(req);

    if (samlResponse !== null) {
      const outcome = await consumeLogoutResponse(ctx, { rawQuery, samlResponse, relayState });
      renderSignedOut(res, deps, {
        outcome: outcome.ok ? 'idp-confirmed' : 'idp-not-confirmed',
        trace: outcome.trace,
        relayState: outcome.relayState,
      });
      return;
    }

    if (samlRequest !== null) {
      const outcome = await consumeLogoutRequest(ctx, { rawQuery, samlRequest, relayState, session: req.session.user ?? null });
      if (outcome.endSession) await destroySession(req, res);
      if (outcome.location !== null) {
        res.redirect(302, outcome.location);
        return;
      }
      renderSignedOut(res, deps, { outcome: outcome.endSession ? 'idp-initiated' : 'idp-request-refused', trace: outcome.trace });
      return;
    }

    const user = req.session.user;
    if (user === undefined) {
      renderSignedOut(res, deps, { outcome: 'not-signed-in', trace: null });
      return;
    }
    // The local session ends first: whatever the IdP answers, or if it never answers, this browser is signed out.
    const start = await startSpLogout(ctx, user, null);
    await destroySession(req, res);
    if (start.kind === 'redirect') {
      res.redirect(302, start.location);
      return;
    }
    renderSignedOut(res, deps, { outcome: 'local-only', trace: null });
  });

  return router;
}
