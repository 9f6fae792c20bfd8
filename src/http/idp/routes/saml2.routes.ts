/**
 * /<tenant-id>/saml2: Entra's SAML endpoint for both bindings. An AuthnRequest starts sign-in; a
 * LogoutRequest ends the IdP session and answers the app's Logout Url.
 */
import express, { type Request, type Response, Router } from 'express';
import { readSamlRequest, type RequestBinding } from '../../../core/idp/authn-request.js';
import { decideLogout } from '../../../core/idp/logout.js';
import { beginSpInitiatedSignIn, resolveTenant } from '../../../core/idp/sso.js';
import { signOutSession } from '../idp-session.js';
import { renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { startStep } from './sign-in.flow.js';

/** SAMLRequest posts are a few kB; the core applies its own maxSamlBytes below this. */
const FORM_LIMIT = '512kb';

/** A form parser for the sign-in pages and the POST binding: flat fields only. */
export function createIdpFormParser(): express.RequestHandler {
  return express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 });
}

function readField(source: unknown, name: string): string | null {
  if (typeof source !== 'object' || source === null) return null;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

async function handleSamlRequest(req: Request, res: Response, deps: IdpRouteDeps, binding: RequestBinding): Promise<void> {
  const source = binding === 'redirect' ? req.query : req.body;
  const tenant = await resolveTenant(deps.ctx, String(req.params.tenantId));
  const relayState = readField(source, 'RelayState');
  const request = readSamlRequest(readField(source, 'SAMLRequest'), binding, deps.ctx.settings.maxSamlBytes);
  if (request.kind === 'logout') {
    signOutSession(req);
    const outcome = await decideLogout(deps.ctx, tenant, request, relayState);
    if (outcome.kind === 'redirect') {
      res.redirect(302, outcome.location);
      return;
    }
    renderIdpPage(res, deps.views, 'signed-out.njk', {});
    return;
  }
  const signIn = await beginSpInitiatedSignIn(deps.ctx, tenant, request, relayState);
  deps.logger.info({ tenantId: tenant.tenantId, appId: signIn.appId, requestId: signIn.requestId }, 'authn request accepted');
  await startStep(req, res, deps, { target: 'sso', signIn });
}

/** Mounts GET (HTTP-Redirect) and POST (HTTP-POST) on /:tenantId/saml2. */
export function createSaml2Router(deps: IdpRouteDeps): Router {
  const router = Router();
  router.get('/:tenantId/saml2', (req, res) => handleSamlRequest(req, res, deps, 'redirect'));
  router.post('/:tenantId/saml2', createIdpFormParser(), (req, res) => handleSamlRequest(req, res, deps, 'post'));
  return router;
}
