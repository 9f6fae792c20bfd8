/**
 * The keys a tenant's tenant-wide federation metadata (no `?appid=`) carries. Real Entra lists the
 * tenant's own keys there, issued to CN=accounts.accesscontrol.windows.net, several of them and some
 * expired, and never an app's SAML signing certificate, so an SP that imports that document fails
 * every assertion signature. The mock gives each tenant three test-only such certificates (one
 * expired), made the first time the document is asked for and kept with the tenant.
 */
import { generateTestCertificate } from '../saml/certs.js';
import type { Tenant } from './directory.js';
import { buildFederationMetadata } from './federation-metadata.js';
import type { IdpContext } from './idp-context.js';
import type { TenantKey } from './ports.js';
import { TEST_ONLY_OU } from './signing-certificate.js';

/** The subject of Entra's tenant keys in the tenant-wide metadata. */
export const TENANT_KEY_CN = 'accounts.accesscontrol.windows.net';

const DAY = 24 * 60 * 60 * 1000;

/** Three keys: one expired a month ago, one current (signs), one newer (rolled in ahead of time). */
async function generateTenantKeys(now: Date): Promise<TenantKey[]> {
  const windows = [
    { from: now.getTime() - 760 * DAY, days: 730 },
    { from: now.getTime() - 200 * DAY, days: 730 },
    { from: now.getTime() - 10 * DAY, days: 730 },
  ];
  const made = await Promise.all(
    windows.map((w) =>
      generateTestCertificate({
        commonName: TENANT_KEY_CN,
        organizationalUnit: TEST_ONLY_OU,
        days: w.days,
        notBefore: new Date(w.from),
        extensions: false,
      }),
    ),
  );
  return made.map((m) => ({ cert: m.certPem, key: m.keyPem }));
}

/** The tenant's keys, made and stored on first use. */
export async function loadTenantKeys(ctx: IdpContext, tenantId: string): Promise<TenantKey[]> {
  const stored = await ctx.stores.tenantKeys.list(tenantId);
  if (stored.length > 0) return stored;
  return ctx.stores.tenantKeys.putIfAbsent(tenantId, await generateTenantKeys(ctx.clock.now()));
}

/** The key that signs the tenant-wide metadata: the current one of the three (the oldest when only one is kept). */
export function selectTenantSigningKey(keys: readonly TenantKey[]): TenantKey | null {
  return keys[1] ?? keys[0] ?? null;
}

/**
 * The tenant-wide Federation Metadata XML: every tenant key listed (the expired one too), the
 * document signed with the current one; no app's certificate anywhere.
 */
export async function buildTenantFederationMetadataXml(ctx: IdpContext, tenant: Tenant): Promise<string> {
  const keys = await loadTenantKeys(ctx, tenant.tenantId);
  const signer = selectTenantSigningKey(keys);
  if (!signer) throw new TypeError('a tenant has at least one key');
  return buildFederationMetadata({
    tenantId: tenant.tenantId,
    idpBaseUrl: ctx.settings.idpBaseUrl,
    certificates: keys.map((k) => k.cert),
    signingKey: signer.key,
    signingCert: signer.cert,
    documentId: ctx.ids.samlId(),
  });
}
