import {
  assignUserToApp,
  createMimecastApp,
  createTenant,
  createUser,
  describeAppEndpoints,
  updateAppSettings,
} from '../core/idp/admin.js';
import { type AppSettingsPatch, decideLaunchTarget, type EnterpriseApp } from '../core/idp/apps.js';
import type { IdpContext } from '../core/idp/idp-context.js';
import type { AccountUrls } from '../core/sp/accounts.js';
import type { SeedStateStore } from '../store/sqlite/seed-state.store.js';
import { type KeptEdit, pickSeededFields, reconcileSeededFields, SEEDED_ENTRA_APP } from './seed-reconcile.js';

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
  logoutUrl: string;
  issuerUrl: string;
  /** Fields of the seeded app a person edited that this start's URLs would change: kept, reported. */
  keptEdits: KeptEdit[];
  /** How "Test this application" signs in: SP-initiated at the Sign on URL when there is one, else IdP-initiated. */
  testMode: 'sp' | 'idp';
  /** The app's Sign on URL, or null. */
  signOnUrl: string | null;
}

/**
 * The Entra side before the tutorial's steps: tenant contoso and B.Simon, no enterprise app (a person
 * adds Mimecast from the gallery). Returns the tenant id, or null when the mock Entra holds data.
 */
export async function seedIdpBeforeTutorial(ctx: IdpContext, seedState: SeedStateStore): Promise<string | null> {
  return seedState.runInTransaction(async () => {
    if ((await ctx.stores.tenants.list()).length > 0) return null;
    const tenant = await createSeedTenantAndUser(ctx);
    return tenant.tenantId;
  });
}

async function createSeedTenantAndUser(ctx: IdpContext) {
  const tenant = await createTenant(ctx, { name: IDP_SEED.tenantName, verifiedDomains: [IDP_SEED.domain] });
  const user = await createUser(ctx, tenant.tenantId, {
    userPrincipalName: IDP_SEED.userPrincipalName,
    password: IDP_SEED.password,
    // Printed at every start and in the README: hashing it slowly would only delay the first start.
    passwordIsPublic: true,
    displayName: 'B. Simon',
    // A Mimecast user has a mailbox, so mail is set (Entra leaves it empty for a user without one).
    mail: IDP_SEED.userPrincipalName,
    givenName: 'B.',
    surname: 'Simon',
  });
  return { tenantId: tenant.tenantId, user };
}

/** The app's URL fields as this start would seed them. */
function buildSeededAppFields(sp: AccountUrls): Record<string, unknown> {
  return {
    identifiers: [sp.entraIdentifier],
    replyUrls: [sp.localAcsUrl],
    signOnUrl: sp.localSignOnUrl,
    logoutUrl: sp.localAcsUrl.replace(/\/login\/saml$/, '/logout/saml'),
  };
}

/**
 * Seeds the Entra tutorial when the mock Entra is empty, in one transaction with the seed state (what
 * it wrote): tenant contoso, B.Simon, the Mimecast gallery app with the account's Identifier, this
 * harness's Reply URL and Sign on URL, and B.Simon assigned. A later start finds the app again and
 * moves every URL field still as seeded to this start's URLs; fields a person edited are kept and
 * returned in `keptEdits`. Returns null when the data was changed beyond recognition.
 */
export async function seedIdpWalkthrough(ctx: IdpContext, sp: AccountUrls, seedState: SeedStateStore): Promise<IdpSeedInfo | null> {
  const wanted = buildSeededAppFields(sp);
  const seeded = await seedState.runInTransaction(async () => {
    if ((await ctx.stores.tenants.list()).length > 0) return null;
    const { tenantId, user } = await createSeedTenantAndUser(ctx);
    const tenant = { tenantId };
    const seedCertificate = { pem: ctx.keys.seedAppCertificate.cert, keyPem: ctx.keys.seedAppCertificate.key };
    const app = await createMimecastApp(ctx, tenant.tenantId, wanted as AppSettingsPatch, seedCertificate);
    await assignUserToApp(ctx, tenant.tenantId, app.appId, user.userPrincipalName);
    // Last, so a record always means the whole seed is there.
    seedState.write(SEEDED_ENTRA_APP.name, { appId: app.appId, fields: pickSeededFields(SEEDED_ENTRA_APP, app) });
    return app;
  });
  if (seeded) return describeSeed(ctx, seeded, []);
  for (const tenant of await ctx.stores.tenants.list()) {
    const app = (await ctx.stores.apps.list(tenant.tenantId)).find((a) => a.identifiers.includes(sp.entraIdentifier));
    if (app) return followUrls(ctx, app, wanted, seedState);
  }
  return null;
}

/** A restart: seeded URL fields nobody edited follow this start's URLs. */
async function followUrls(
  ctx: IdpContext,
  app: EnterpriseApp,
  wanted: Record<string, unknown>,
  seedState: SeedStateStore,
): Promise<IdpSeedInfo> {
  const state = seedState.read(SEEDED_ENTRA_APP.name);
  if (!state || state.appId !== app.appId) return describeSeed(ctx, app, []);
  const plan = reconcileSeededFields(
    SEEDED_ENTRA_APP,
    (state.fields ?? {}) as Record<string, unknown>,
    pickSeededFields(SEEDED_ENTRA_APP, app),
    wanted,
  );
  const updated =
    Object.keys(plan.updates).length > 0 ? await updateAppSettings(ctx, app.tenantId, app.appId, plan.updates as AppSettingsPatch) : app;
  seedState.write(SEEDED_ENTRA_APP.name, { appId: app.appId, fields: plan.record });
  return describeSeed(ctx, updated, plan.kept);
}

function describeSeed(ctx: IdpContext, app: EnterpriseApp, keptEdits: KeptEdit[]): IdpSeedInfo {
  const e = describeAppEndpoints(ctx, app);
  return {
    tenantId: app.tenantId,
    appId: app.appId,
    appFederationMetadataUrl: e.appFederationMetadataUrl,
    loginUrl: e.loginUrl,
    logoutUrl: e.logoutUrl,
    issuerUrl: e.entraIdentifier,
    keptEdits,
    testMode: decideLaunchTarget(app).mode,
    signOnUrl: app.signOnUrl,
  };
}
