/**
 * My Apps (a tile per assigned app that is "Visible to users?"), the User access URL, the portal's
 * "Test this application" (SP- or IdP-initiated, as the app's Sign on URL decides) and an
 * always IdP-initiated sign-in.
 */
import { type RequestHandler, Router } from 'express';
import { AppError } from '../../../core/errors.js';
import { decideLaunchTarget, isAppEnabledForSignIn, isAppVisibleToUsers, isUserAllowed } from '../../../core/idp/apps.js';
import { recordRefusedRequest } from '../../../core/idp/sign-in-attempts.js';
import { beginIdpInitiatedSignIn } from '../../../core/idp/sso.js';
import { foldAsciiCase } from '../../../core/saml/ascii-case.js';
import { readSignedInUser } from '../idp-session.js';
import { keepSignInAttemptIds, renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { startStep } from './sign-in.flow.js';

/** Mounts GET /myapps, GET /myapps/signin/:appId, GET /apps/:appId/test and GET /apps/:appId/idp-initiated. */
export function createPortalRouter(deps: IdpRouteDeps): Router {
  const router = Router();

  router.get('/myapps', async (req, res) => {
    const user = readSignedInUser(req, null);
    if (!user) {
      await startStep(req, res, deps, { target: 'myapps' });
      return;
    }
    const apps = (await deps.ctx.stores.apps.list(user.tenantId)).filter(
      (app) => app.assignedUserIds.includes(user.objectId) && isAppVisibleToUsers(app) && isAppEnabledForSignIn(app),
    );
    const tiles = apps.map((app) => {
      // With a Sign on URL the tile starts SP-initiated sign-in; without one it signs in IdP-initiated.
      const target = decideLaunchTarget(app);
      return {
        appId: app.appId,
        displayName: app.displayName,
        href: target.url,
        mode: target.mode,
        allowed: isUserAllowed(app, user.objectId),
      };
    });
    renderIdpPage(res, deps.views, 'myapps.njk', { user, tiles });
  });

  // The "User access URL" of Properties: opens the app as its My Apps tile would, visible or not.
  router.get('/myapps/signin/:appId', async (req, res) => {
    const app = await deps.ctx.stores.apps.get(String(req.params.appId));
    const tenantId = typeof req.query.tenantId === 'string' ? foldAsciiCase(req.query.tenantId) : null;
    if (!app || (tenantId !== null && tenantId !== app.tenantId))
      throw new AppError('IDP_APP_NOT_FOUND', undefined, { details: { appId: String(req.params.appId) } });
    res.redirect(302, decideLaunchTarget(app).url);
  });

  const signInIdpInitiated: RequestHandler = async (req, res) => {
    const signIn = await beginIdpInitiatedSignIn(deps.ctx, String(req.params.appId)).catch(async (error: unknown) => {
      const app = await deps.ctx.stores.apps.get(String(req.params.appId));
      if (error instanceof AppError && app) keepSignInAttemptIds(res, await recordRefusedRequest(deps.ctx, app.tenantId, error));
      throw error;
    });
    await startStep(req, res, deps, { target: 'sso', signIn });
  };

  // "Test this application", as Entra runs it: with a Sign on URL the app starts the sign-in there
  // (SP-initiated); without one Entra signs in and posts to the default Reply URL (IdP-initiated).
  router.get('/apps/:appId/test', async (req, res, next) => {
    const app = await deps.ctx.stores.apps.get(String(req.params.appId));
    const launch = app ? decideLaunchTarget(app) : null;
    if (launch?.mode === 'sp') {
      res.redirect(302, launch.url);
      return;
    }
    await signInIdpInitiated(req, res, next);
  });

  // IdP-initiated whatever the Sign on URL: the rehearsal of an unsolicited response for an app that has one.
  router.get('/apps/:appId/idp-initiated', signInIdpInitiated);

  return router;
}
