/**
 * My Apps (a tile per assigned app) and the portal's "Test this application" (IdP-initiated).
 */
import { Router } from 'express';
import { isUserAllowed } from '../../../core/idp/apps.js';
import { beginIdpInitiatedSignIn } from '../../../core/idp/sso.js';
import { readSignedInUser } from '../idp-session.js';
import { renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { startStep } from './sign-in.flow.js';

/** Mounts GET /myapps and GET /apps/:appId/test. */
export function createPortalRouter(deps: IdpRouteDeps): Router {
  const router = Router();

  router.get('/myapps', async (req, res) => {
    const user = readSignedInUser(req, null);
    if (!user) {
      await startStep(req, res, deps, { target: 'myapps' });
      return;
    }
    const apps = (await deps.ctx.stores.apps.list(user.tenantId)).filter((app) => app.assignedUserIds.includes(user.objectId));
    const tiles = apps.map((app) => ({
      appId: app.appId,
      displayName: app.displayName,
      // With a Sign on URL the tile starts SP-initiated sign-in; without one it signs in IdP-initiated.
      href: app.signOnUrl ?? `/apps/${encodeURIComponent(app.appId)}/test`,
      mode: app.signOnUrl === null ? 'idp' : 'sp',
      allowed: isUserAllowed(app, user.objectId),
    }));
    renderIdpPage(res, deps.views, 'myapps.njk', { user, tiles });
  });

  router.get('/apps/:appId/test', async (req, res) => {
    const signIn = await beginIdpInitiatedSignIn(deps.ctx, String(req.params.appId));
    await startStep(req, res, deps, { target: 'sso', signIn });
  });

  return router;
}
