import { AppError } from '../errors.js';
import { BINDING } from '../saml/constants.js';
import { parseIdpMetadata } from '../saml/metadata.js';
import type { Endpoint, Finding, IdpMetadata } from '../saml/types.js';
import { type AuthProfile, buildDefaultProfile } from './accounts.js';
import type { SpContext } from './context.js';

export interface ImportResult {
  profile: AuthProfile;
  metadata: IdpMetadata;
  findings: Finding[];
}

/**
 * Mimecast's "Metadata URL › Import": fetch (or take pasted) IdP metadata, parse it, and fill Issuer
 * URL, Login URL, Logout URL and every Identity Provider Certificate. The profile is written only after
 * the document parsed, so a failed import never changes what the SP trusts.
 */
export async function importProfileMetadata(
  ctx: SpContext,
  accountCode: string,
  source: { url: string } | { xml: string },
): Promise<ImportResult> {
  const account = await ctx.stores.accounts.get(accountCode);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND');
  const now = ctx.clock.now();
  const { metadata, sourceUrl } = await loadMetadata(ctx, source, now);
  const current = (await ctx.stores.profiles.get(account.code)) ?? buildDefaultProfile(account.code, now);
  const profile = applyMetadataToProfile(current, metadata, sourceUrl, now);
  await ctx.stores.profiles.put(profile);
  return { profile, metadata, findings: metadata.findings };
}

/** What the console's Import puts into the form before "Save and Exit", and what it found to say. */
export interface MetadataPreview {
  metadataUrl: string;
  issuerUrl: string | null;
  loginUrl: string | null;
  logoutUrl: string | null;
  idpCertificates: string[];
  findings: Finding[];
}

/**
 * The Administration Console's Import: the same fetch, parse and field mapping as
 * importProfileMetadata, without the save — in Mimecast, Import fills the form and Save stores it.
 */
export async function previewMetadataImport(ctx: SpContext, accountCode: string, url: string): Promise<MetadataPreview> {
  const account = await ctx.stores.accounts.get(accountCode);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND');
  if (url.trim() === '') throw new AppError('METADATA_URL_INVALID', 'Enter the Metadata URL before pressing Import.');
  const now = ctx.clock.now();
  const { metadata } = await loadMetadata(ctx, { url }, now);
  const filled = applyMetadataToProfile(buildDefaultProfile(account.code, now), metadata, url, now);
  return {
    metadataUrl: url,
    issuerUrl: filled.issuerUrl,
    loginUrl: filled.loginUrl,
    logoutUrl: filled.logoutUrl,
    idpCertificates: filled.idpCertificates,
    findings: metadata.findings,
  };
}

// The URL the admin typed decides tenant-wide vs app metadata; a redirect does not change intent.
async function loadMetadata(
  ctx: SpContext,
  source: { url: string } | { xml: string },
  now: Date,
): Promise<{ metadata: IdpMetadata; sourceUrl: string | null }> {
  if ('xml' in source) return { metadata: parseIdpMetadata(source.xml, { now, sourceUrl: null }), sourceUrl: null };
  const fetched = await ctx.fetchDocument(source.url);
  return { metadata: parseIdpMetadata(fetched.body.toString('utf8'), { now, sourceUrl: source.url }), sourceUrl: source.url };
}

/**
 * The profile as "Import" leaves it: Issuer URL, Login URL, Logout URL and every signing certificate
 * (document order) taken from the metadata, the Metadata URL remembered when the document was
 * fetched (and cleared when it was pasted), every other setting kept. Pure, so the import and the metadata monitor fill alike.
 */
export function applyMetadataToProfile(current: AuthProfile, metadata: IdpMetadata, sourceUrl: string | null, now: Date): AuthProfile {
  return {
    ...current,
    // Pasted or uploaded XML (no URL) clears the old Metadata URL: the profile no longer comes from it.
    metadataUrl: sourceUrl,
    issuerUrl: metadata.entityId,
    loginUrl: pickEndpoint(metadata.ssoEndpoints)?.location ?? null,
    logoutUrl: pickEndpoint(metadata.sloEndpoints)?.location ?? null,
    idpCertificates: metadata.signingCertificates.map((c) => c.pem),
    importedTenantWide: metadata.findings.some((f) => f.code === 'METADATA_TENANT_WIDE'),
    updatedAt: now.toISOString(),
  };
}

// Mimecast sends AuthnRequests with HTTP-POST; Entra serves both bindings at one URL.
function pickEndpoint(endpoints: Endpoint[]): Endpoint | undefined {
  return endpoints.find((e) => e.binding === BINDING.httpPost) ?? endpoints.find((e) => e.binding === BINDING.httpRedirect) ?? endpoints[0];
}
