/**
 * The Federation Metadata XML: tenant-wide (the tenant's own keys, no app certificate), or the app's (`?appid=`) with every certificate of the
 * app, the active one first and signing the document.
 */
import { Router } from 'express';
import { AppError } from '../../../core/errors.js';
import { buildAppFederationMetadataXml } from '../../../core/idp/admin.js';
import { resolveTenant } from '../../../core/idp/sso.js';
import { buildTenantFederationMetadataXml } from '../../../core/idp/tenant-keys.js';
import { foldAsciiCase } from '../../../core/saml/ascii-case.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/**
 * The `appid` query value, whatever the case of its name (`appid`, `AppId`, `APPID`): Entra's
 * endpoint reads query keys case-insensitively, so an app URL typed with another case must not fall
 * back to the tenant-wide document.
 */
export function readAppIdParam(query: Record<string, unknown>): string | null {
  const key = Object.keys(query).find((k) => foldAsciiCase(k) === 'appid');
  const value = key === undefined ? undefined : query[key];
  return typeof value === 'string' ? value : null;
}

/** Mounts GET /:tenantId/federationmetadata/2007-06/federationmetadata.xml. */
export function createMetadataRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  router.get('/:tenantId/federationmetadata/2007-06/federationmetadata.xml', async (req, res) => {
    const { ctx } = deps;
    const tenant = await resolveTenant(ctx, String(req.params.tenantId));
    const appId = readAppIdParam(req.query);
    let xml: string;
    if (appId !== null) {
      const app = await ctx.stores.apps.get(appId);
      if (!app || app.tenantId !== tenant.tenantId) {
        throw new AppError(
          'IDP_APP_NOT_FOUND',
          `Application with identifier '${appId}' was not found in the directory '${tenant.tenantId}'.`,
          { details: { appId } },
        );
      }
      xml = buildAppFederationMetadataXml(ctx, app);
    } else {
      xml = await buildTenantFederationMetadataXml(ctx, tenant);
    }
    res.status(200).type('application/xml; charset=utf-8').send(xml);
  });
  return router;
}
