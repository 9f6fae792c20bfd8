/**
 * Single logout at the mock Entra, the browser's side: My Apps › Sign out, and carrying a logout
 * from app to app (each app's LogoutResponse comes back to /<tenant-id>/saml2, handled in
 * saml2.routes.ts with the helpers here).
 */
import { type Request, type Response, Router } from 'express';
import { advanceLogout, beginIdpLogout, type LogoutChain, type LogoutStep } from '../../../core/idp/logout.js';
import { readParticipants, readSignedInUser, signOutSession, storeLogoutChain } from '../idp-session.js';
import { renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** Sends a logout step: on to the next app (remembering the chain), or Entra's signed-out page. */
export function sendLogoutStep(req: Request, res: Response, deps: IdpRouteDeps, step: LogoutStep): void {
  if (step.kind === 'redirect') {
    storeLogoutChain(req, step.chain);
    res.redirect(302, step.location);
    return;
  }
  storeLogoutChain(req, null);
  renderIdpPage(res, deps.views, 'signed-out.njk', { results: step.results });
}

/** Ends the IdP session and starts telling the participants, one redirect at a time. */
export async function runLogoutChain(req: Request, res: Response, deps: IdpRouteDeps, chain: LogoutChain): Promise<void> {
  signOutSession(req);
  sendLogoutStep(req, res, deps, await advanceLogout(deps.ctx, chain));
}

/** Mounts GET /common/oauth2/logout, Entra's sign-out address (the My Apps "Sign out" link). */
export function createLogoutRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  router.get('/common/oauth2/logout', async (req, res) => {
    const user = readSignedInUser(req, null);
    if (!user) {
      signOutSession(req);
      renderIdpPage(res, deps.views, 'signed-out.njk', { results: [] });
      return;
    }
    await runLogoutChain(req, res, deps, beginIdpLogout(user.tenantId, readParticipants(req, user.tenantId)));
  });
  return router;
}
