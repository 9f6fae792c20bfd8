/**
 * The admin operations behind the mock Entra's API and seeding: the portal's actions (new tenant,
 * new user, add gallery app, edit SAML settings, assign, certificates), each one function.
 */
import { AppError } from '../errors.js';
import { describeCertificate } from '../saml/certs.js';
import { buildEntraIssuer } from '../saml/constants.js';
import { trimTrailingSlashes } from '../text.js';
import {
  type AppCertificate,
  type AppSettingsPatch,
  activateAppCertificate,
  addAppCertificate,
  applyAppSettings,
  assignUser,
  buildMimecastApp,
  type EnterpriseApp,
  unassignUser,
} from './apps.js';
import { buildTenant, buildUser, type IdpUser, matchTenant, type NewTenantInput, type NewUserInput, type Tenant } from './directory.js';
import { buildFederationMetadata } from './federation-metadata.js';
import type { IdpContext } from './idp-context.js';
import { generateAppSigningCertificate } from './signing-certificate.js';

/**
 * Creates a tenant (IDP_TENANT_EXISTS when its id or name is taken, or when one of its domains is
 * verified in another tenant: Entra verifies a domain in one tenant only).
 */
export async function createTenant(ctx: IdpContext, input: NewTenantInput): Promise<Tenant> {
  const tenant = buildTenant(input, ctx);
  const others = await ctx.stores.tenants.list();
  const domain = tenant.verifiedDomains.find((d) => others.some((t) => matchTenant(t, d)));
  if (domain !== undefined) {
    throw new AppError('IDP_TENANT_EXISTS', `The domain ${domain} is already verified in another tenant.`, { details: { domain } });
  }
  return ctx.stores.tenants.create(tenant);
}

/** Finds a tenant for the API: IDP_TENANT_NOT_FOUND rather than the sign-in page's AADSTS90002. */
export async function requireTenant(ctx: IdpContext, nameOrId: string): Promise<Tenant> {
  const tenant = await ctx.stores.tenants.find(nameOrId);
  if (!tenant) throw new AppError('IDP_TENANT_NOT_FOUND', undefined, { details: { tenant: nameOrId } });
  return tenant;
}

/** "Create new user" with a password; `passwordIsPublic` only for a password printed for everyone to read. */
export async function createUser(
  ctx: IdpContext,
  tenantId: string,
  input: NewUserInput & { password: string; passwordIsPublic?: boolean },
): Promise<IdpUser> {
  const tenant = await requireTenant(ctx, tenantId);
  const { password, passwordIsPublic, ...rest } = input;
  return ctx.stores.users.create(buildUser(tenant, rest, ctx), password, { passwordIsPublic: passwordIsPublic === true });
}

/** A user of the tenant by UPN, or IDP_USER_NOT_FOUND. */
export async function requireUser(ctx: IdpContext, tenantId: string, upn: string): Promise<IdpUser> {
  const user = await ctx.stores.users.findByUpn(tenantId, upn);
  if (!user) throw new AppError('IDP_USER_NOT_FOUND', undefined, { details: { userPrincipalName: upn } });
  return user;
}

/**
 * Checks the settings a patch brings that need more than a schema: the token encryption
 * certificate must be one X.509 certificate (CERTIFICATE_INVALID otherwise) and is kept normalised.
 */
export function normalizeAppSettings(patch: AppSettingsPatch): AppSettingsPatch {
  const cert = patch.tokenEncryptionCertificate;
  if (typeof cert !== 'string') return patch;
  if (cert.trim() === '') return { ...patch, tokenEncryptionCertificate: null };
  return { ...patch, tokenEncryptionCertificate: describeCertificate(cert).pem };
}

/**
 * Adds the Mimecast gallery app. Entra makes a token signing certificate with every new app, so one
 * is generated here (as "New Certificate" makes them) unless `certificate` is given: the seeded
 * walk-through app keeps the documented test key pair of certs/ (certs/README.md).
 */
export async function createMimecastApp(
  ctx: IdpContext,
  tenantId: string,
  settings: AppSettingsPatch & { appId?: string } = {},
  certificate?: { pem: string; keyPem: string },
): Promise<EnterpriseApp> {
  const tenant = await requireTenant(ctx, tenantId);
  const normalized = normalizeAppSettings(settings);
  const pair = certificate ?? (await generateAppSigningCertificate(ctx.clock.now()));
  return ctx.stores.apps.create(buildMimecastApp(tenant.tenantId, { ...normalized, template: 'mimecast', certificate: pair }, ctx));
}

/** An app of this tenant, or IDP_APP_NOT_FOUND (an app of another tenant is not found either). */
export async function requireApp(ctx: IdpContext, tenantId: string, appId: string): Promise<EnterpriseApp> {
  const tenant = await requireTenant(ctx, tenantId);
  const app = await ctx.stores.apps.get(appId);
  if (!app || app.tenantId !== tenant.tenantId) throw new AppError('IDP_APP_NOT_FOUND', undefined, { details: { appId } });
  return app;
}

/** Saves Basic SAML Configuration, signing, token encryption and claim settings. */
export async function updateAppSettings(ctx: IdpContext, tenantId: string, appId: string, patch: AppSettingsPatch): Promise<EnterpriseApp> {
  const normalized = normalizeAppSettings(patch);
  return ctx.stores.apps.update(applyAppSettings(await requireApp(ctx, tenantId, appId), normalized));
}

/** "Add Assignment" for a user, by UPN. */
export async function assignUserToApp(ctx: IdpContext, tenantId: string, appId: string, upn: string): Promise<EnterpriseApp> {
  const app = await requireApp(ctx, tenantId, appId);
  const user = await requireUser(ctx, app.tenantId, upn);
  return ctx.stores.apps.update(assignUser(app, user.objectId));
}

/** Removes a user's assignment, by UPN. */
export async function unassignUserFromApp(ctx: IdpContext, tenantId: string, appId: string, upn: string): Promise<EnterpriseApp> {
  const app = await requireApp(ctx, tenantId, appId);
  const user = await requireUser(ctx, app.tenantId, upn);
  return ctx.stores.apps.update(unassignUser(app, user.objectId));
}

/**
 * "New Certificate": adds an inactive certificate, either the given key pair or a freshly
 * generated test one (3 years, like Entra's).
 */
export async function addCertificateToApp(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  given: { pem: string; keyPem: string } | null,
): Promise<{ app: EnterpriseApp; certificate: AppCertificate }> {
  const app = await requireApp(ctx, tenantId, appId);
  let pair = given;
  if (pair === null) pair = await generateAppSigningCertificate(ctx.clock.now());
  describeCertificate(pair.pem);
  const result = addAppCertificate(app, pair, ctx);
  return { app: await ctx.stores.apps.update(result.app), certificate: result.certificate };
}

/** "Make certificate active". */
export async function activateCertificateOfApp(ctx: IdpContext, tenantId: string, appId: string, certId: string): Promise<EnterpriseApp> {
  return ctx.stores.apps.update(activateAppCertificate(await requireApp(ctx, tenantId, appId), certId));
}

/** The "Set up Mimecast" values and the App Federation Metadata Url of an app. */
export function describeAppEndpoints(
  ctx: IdpContext,
  app: EnterpriseApp,
): { loginUrl: string; logoutUrl: string; entraIdentifier: string; appFederationMetadataUrl: string } {
  const base = trimTrailingSlashes(ctx.settings.idpBaseUrl);
  return {
    loginUrl: `${base}/${app.tenantId}/saml2`,
    logoutUrl: `${base}/${app.tenantId}/saml2`,
    entraIdentifier: buildEntraIssuer(app.tenantId),
    appFederationMetadataUrl: `${base}/${app.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${app.appId}`,
  };
}

/** An app as the API shows it: private keys left out, certificates described as the portal does. */
export function presentApp(ctx: IdpContext, app: EnterpriseApp): Record<string, unknown> {
  const { certificates, ...rest } = app;
  const encryption = app.tokenEncryptionCertificate ? describeCertificate(app.tokenEncryptionCertificate) : null;
  return {
    ...rest,
    ...describeAppEndpoints(ctx, app),
    tokenEncryption: encryption ? { active: true, thumbprint: encryption.thumbprint, notAfter: encryption.notAfter } : { active: false },
    certificates: certificates.map((c) => {
      const info = describeCertificate(c.pem);
      return {
        id: c.id,
        active: c.active,
        status: c.active ? 'Active' : 'Inactive',
        thumbprint: info.thumbprint,
        notAfter: info.notAfter,
        createdAt: c.createdAt,
        pem: info.pem,
      };
    }),
  };
}

/** One row of the "SAML Signing Certificate" pane. */
export interface CertificateRow {
  id: string;
  active: boolean;
  status: 'Active' | 'Inactive';
  thumbprint: string;
  notAfter: string;
  createdAt: string;
}

/** The app's signing certificates as the pane lists them: the active one first, then by age. */
export function describeAppCertificates(app: EnterpriseApp): CertificateRow[] {
  const rows = app.certificates.map((c) => {
    const info = describeCertificate(c.pem);
    return {
      id: c.id,
      active: c.active,
      status: c.active ? ('Active' as const) : ('Inactive' as const),
      thumbprint: info.thumbprint,
      notAfter: info.notAfter,
      createdAt: c.createdAt,
    };
  });
  return rows.sort((a, b) => Number(b.active) - Number(a.active) || a.createdAt.localeCompare(b.createdAt));
}

/** A certificate of the app by id, or the active one when no id is given (IDP_CERTIFICATE_NOT_FOUND otherwise). */
export function selectAppCertificate(app: EnterpriseApp, certId: string | null): AppCertificate {
  const found =
    certId === null ? (app.certificates.find((c) => c.active) ?? app.certificates[0]) : app.certificates.find((c) => c.id === certId);
  if (!found) throw new AppError('IDP_CERTIFICATE_NOT_FOUND', undefined, { details: { certId } });
  return found;
}

/**
 * The app's Federation Metadata XML: every certificate of the app, the active one first and
 * signing the document, as the App Federation Metadata Url and the "Federation Metadata XML"
 * download serve it.
 */
export function buildAppFederationMetadataXml(ctx: IdpContext, app: EnterpriseApp): string {
  const ordered = [...app.certificates].sort((a, b) => Number(b.active) - Number(a.active));
  const active = ordered[0];
  if (!active) throw new AppError('IDP_CERTIFICATE_NOT_FOUND');
  return buildFederationMetadata({
    tenantId: app.tenantId,
    idpBaseUrl: ctx.settings.idpBaseUrl,
    certificates: ordered.map((c) => c.pem),
    signingKey: active.keyPem,
    signingCert: active.pem,
    documentId: ctx.ids.samlId(),
  });
}

/** The "User access URL": the mock's counterpart of https://myapps.microsoft.com/signin/<app id>?tenantId=<tenant id>. */
export function buildUserAccessUrl(ctx: IdpContext, app: EnterpriseApp): string {
  const base = trimTrailingSlashes(ctx.settings.idpBaseUrl);
  return `${base}/myapps/signin/${app.appId}?tenantId=${app.tenantId}`;
}
