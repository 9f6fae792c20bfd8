/**
 * The Federation Metadata XML: tenant-wide, or the app's (`?appid=`) with every certificate of the
 * app, the active one first and signing the document.
 */
import { Router } from 'express';
import { AppError } from '../../../core/errors.js';
import { buildFederationMetadata } from '../../../core/idp/federation-metadata.js';
import { resolveTenant } from '../../../core/idp/sso.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** Mounts GET /:tenantId/federationmetadata/2007-06/federationmetadata.xml. */
export function createMetadataRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  router.get('/:tenantId/federationmetadata/2007-06/federationmetadata.xml', async (req, res) => {
    const { ctx } = deps;
    const tenant = await resolveTenant(ctx, String(req.params.tenantId));
    const appId = typeof req.query.appid === 'string' ? req.query.appid : null;
    let certificates = [ctx.keys.tenantSigning.cert];
    let signing = ctx.keys.tenantSigning;
    if (appId !== null) {
      const app = await ctx.stores.apps.get(appId);
      if (!app || app.tenantId !== tenant.tenantId) {
        throw new AppError('IDP_APP_NOT_FOUND', `Application with identifier '${appId}' was not found in the directory '${tenant.tenantId}'.`, { details: { appId } });
      }
      const ordered = [...app.certificates].sort((a, b) => Number(b.active) - Number(a.active));
      const active = ordered[0];
      if (!active) throw new AppError('IDP_CERTIFICATE_NOT_FOUND');
      certificates = ordered.map((c) => c.pem);
      signing = { key: active.keyPem, cert: active.pem };
    }
    const xml = buildFederationMetadata({
      tenantId: tenant.tenantId,
      idpBaseUrl: ctx.settings.idpBaseUrl,
      certificates,
      signingKey: signing.key,
      signingCert: signing.cert,
      documentId: ctx.ids.samlId(),
    });
    res.status(200).type('application/xml; charset=utf-8').send(xml);
  });
  return router;
}
