import { assignUserToApp, createMimecastApp, createTenant, createUser, describeAppEndpoints } from '../core/idp/admin.js';
import type { IdpContext } from '../core/idp/idp-context.js';
import type { AccountUrls } from '../core/sp/accounts.js';

/** The walk-through's Entra side: tenant contoso with B.Simon, whose password is printed at every start. */
export const IDP_SEED = {
  tenantName: 'contoso.onmicrosoft.com',
  domain: 'contoso.com',
  userPrincipalName: 'B.Simon@contoso.com',
  /** A test-only password for a test-only user of a mock tenant; printed on purpose. */
  password: 'Test-only-Passw0rd!',
} as const;

export interface IdpSeedInfo {
  tenantId: string;
  appId: string;
  appFederationMetadataUrl: string;
  loginUrl: string;
}

/**
 * Seeds the Entra tutorial when the mock Entra is empty: tenant contoso, B.Simon, the Mimecast gallery
 * app with the account's Identifier, this harness's Reply URL and Sign on URL, and B.Simon assigned.
 * Returns the existing tenant's Mimecast app when already seeded, or null when the data was changed
 * beyond recognition (a person's own setup is never overwritten).
 */
export async function seedIdpWalkthrough(ctx: IdpContext, sp: AccountUrls): Promise<IdpSeedInfo | null> {
  const tenants = await ctx.stores.tenants.list();
  if (tenants.length === 0) {
    const tenant = await createTenant(ctx, { name: IDP_SEED.tenantName, verifiedDomains: [IDP_SEED.domain] });
    const user = await createUser(ctx, tenant.tenantId, {
      userPrincipalName: IDP_SEED.userPrincipalName,
      password: IDP_SEED.password,
      displayName: 'B. Simon',
      givenName: 'B.',
      surname: 'Simon',
    });
    const app = await createMimecastApp(ctx, tenant.tenantId, {
      identifiers: [sp.entraIdentifier],
      replyUrls: [sp.localAcsUrl],
      signOnUrl: sp.localSignOnUrl,
      logoutUrl: sp.localAcsUrl.replace(/\/login\/saml$/, '/logout/saml'),
    });
    await assignUserToApp(ctx, tenant.tenantId, app.appId, user.userPrincipalName);
    return { tenantId: tenant.tenantId, appId: app.appId, ...pick(describeAppEndpoints(ctx, app)) };
  }
  for (const tenant of tenants) {
    const app = (await ctx.stores.apps.list(tenant.tenantId)).find((a) => a.identifiers.includes(sp.entraIdentifier));
    if (app) return { tenantId: tenant.tenantId, appId: app.appId, ...pick(describeAppEndpoints(ctx, app)) };
  }
  return null;
}

function pick(e: ReturnType<typeof describeAppEndpoints>): { appFederationMetadataUrl: string; loginUrl: string } {
  return { appFederationMetadataUrl: e.appFederationMetadataUrl, loginUrl: e.loginUrl };
}
