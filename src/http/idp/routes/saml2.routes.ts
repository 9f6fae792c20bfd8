/**
 * /<tenant-id>/saml2: Entra's SAML endpoint for both bindings. An AuthnRequest starts sign-in; a
 * LogoutRequest ends the IdP session, tells the other session participants and answers the app's
 * Logout Url; a participant's LogoutResponse carries a logout in progress on.
 */
import express, { type Request, type Response, Router } from 'express';
import { AppError } from '../../../core/errors.js';
import type { ParsedLogoutRequest } from '../../../core/idp/authn-request.js';
import { type RequestBinding, readLogoutResponse, readSamlRequest } from '../../../core/idp/authn-request.js';
import type { Tenant } from '../../../core/idp/directory.js';
import { acceptLogoutResponse, advanceLogout, beginSpLogout } from '../../../core/idp/logout.js';
import { judgeLogoutRequest } from '../../../core/idp/logout-request.js';
import { recordRefusedRequest } from '../../../core/idp/sign-in-attempts.js';
import { beginSpInitiatedSignIn, resolveTenant } from '../../../core/idp/sso.js';
import { readLogoutChain, readParticipants, readSignedInUser } from '../idp-session.js';
import { keepSignInAttemptIds, renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';
import { runLogoutChain, sendLogoutStep } from './logout.routes.js';
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

/**
 * A participant's LogoutResponse (HTTP-Redirect): recorded, then the logout goes on to the next app
 * or ends. Without a logout in progress in this browser there is nothing to carry on: signed out.
 */
async function handleLogoutResponse(req: Request, res: Response, deps: IdpRouteDeps, value: string): Promise<void> {
  const response = readLogoutResponse(value, deps.ctx.settings.maxSamlBytes);
  const chain = readLogoutChain(req);
  if (chain === null) {
    sendLogoutStep(req, res, deps, { kind: 'signed-out', results: [] });
    return;
  }
  deps.logger.info(
    { tenantId: chain.tenantId, inResponseTo: response.inResponseTo, status: response.statusCode },
    'logout response received',
  );
  sendLogoutStep(req, res, deps, await advanceLogout(deps.ctx, acceptLogoutResponse(chain, response)));
}

/**
 * An SP's LogoutRequest: judged first (an unknown Issuer or a foreign Destination is Entra's error
 * page and ends nothing). A request naming someone else leaves the session signed in and says so;
 * with nobody signed in to this tenant there is nothing to end, but the app is still answered.
 */
async function handleLogoutRequest(
  req: Request,
  res: Response,
  deps: IdpRouteDeps,
  tenant: Tenant,
  request: ParsedLogoutRequest,
  relayState: string | null,
): Promise<void> {
  const participants = readParticipants(req, tenant.tenantId);
  const verdict = await judgeLogoutRequest(deps.ctx, tenant, request, { user: readSignedInUser(req, tenant.tenantId), participants });
  deps.logger.info(
    { tenantId: tenant.tenantId, appId: verdict.app.appId, requestId: request.id, verdict: verdict.kind },
    'logout request judged',
  );
  if (verdict.kind === 'principal-mismatch') {
    renderIdpPage(
      res,
      deps.views,
      'still-signed-in.njk',
      { code: verdict.error.code, appName: verdict.app.displayName },
      verdict.error.status,
    );
    return;
  }
  if (verdict.kind === 'no-session') {
    sendLogoutStep(req, res, deps, await advanceLogout(deps.ctx, await beginSpLogout(deps.ctx, tenant, request, relayState, [])));
    return;
  }
  await runLogoutChain(req, res, deps, await beginSpLogout(deps.ctx, tenant, request, relayState, participants));
}

async function handleSamlRequest(req: Request, res: Response, deps: IdpRouteDeps, binding: RequestBinding): Promise<void> {
  const source = binding === 'redirect' ? req.query : req.body;
  const tenant = await resolveTenant(deps.ctx, String(req.params.tenantId));
  const relayState = readField(source, 'RelayState');
  const samlResponse = readField(source, 'SAMLResponse');
  if (binding === 'redirect' && samlResponse !== null && readField(source, 'SAMLRequest') === null) {
    await handleLogoutResponse(req, res, deps, samlResponse);
    return;
  }
  const request = readSamlRequest(readField(source, 'SAMLRequest'), binding, deps.ctx.settings.maxSamlBytes);
  if (request.kind === 'logout') {
    await handleLogoutRequest(req, res, deps, tenant, request, relayState);
    return;
  }
  const signIn = await beginSpInitiatedSignIn(deps.ctx, tenant, request, relayState).catch(async (error: unknown) => {
    // A request refused before sign-in is an attempt of the tenant's sign-in logs too.
    if (error instanceof AppError) keepSignInAttemptIds(res, await recordRefusedRequest(deps.ctx, tenant.tenantId, error));
    throw error;
  });
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
