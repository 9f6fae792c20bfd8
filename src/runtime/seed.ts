import type { SpContext } from '../core/sp/context.js';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../core/sp/accounts.js';
import { importProfileMetadata, type ImportResult } from '../core/sp/profile-import.js';

/** The walk-through's Mimecast side: one EU account for contoso.com with B.Simon in its directory. */
export const SEED = {
  accountCode: 'CUK12A34',
  region: 'eu' as const,
  accountName: 'Contoso',
  domain: 'contoso.com',
  userEmail: 'B.Simon@contoso.com',
  userName: 'B. Simon',
  adminEmail: 'admin@contoso.com',
} as const;

/**
 * Seeds the Mimecast account of the Entra tutorial when the store is empty: account, authentication
 * profile (SAML enforced, both context switches off, Allow Single Sign On on) and two addresses —
 * B.Simon (Personal Portal) and an administrator (Administration Console). Returns false when data
 * already exists, so a restart never overwrites what a person changed.
 */
export async function seedSpWalkthrough(ctx: SpContext): Promise<boolean> {
  if ((await ctx.stores.accounts.list()).length > 0) return false;
  const now = ctx.clock.now();
  await ctx.stores.accounts.create({ code: SEED.accountCode, region: SEED.region, name: SEED.accountName, domains: [SEED.domain], createdAt: now.toISOString() });
  await ctx.stores.profiles.put({ ...buildDefaultProfile(SEED.accountCode, now), ...TUTORIAL_PROFILE_SWITCHES, description: 'Entra ID SSO (walk-through)' });
  await ctx.stores.directory.create({ accountCode: SEED.accountCode, email: SEED.userEmail, globalName: SEED.userName, forceChangeAtLogin: false, roles: [], createdAt: now.toISOString() }, null);
  await ctx.stores.directory.create(
    { accountCode: SEED.accountCode, email: SEED.adminEmail, globalName: 'Contoso Administrator', forceChangeAtLogin: false, roles: ['Super Administrator'], createdAt: now.toISOString() },
    null,
  );
  return true;
}

/** "Metadata URL › Import" over real HTTP, as a person would do it in the profile. */
export function importSeedMetadata(ctx: SpContext, metadataUrl: string): Promise<ImportResult> {
  return importProfileMetadata(ctx, SEED.accountCode, { url: metadataUrl });
}
