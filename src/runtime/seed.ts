import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../core/sp/accounts.js';
import type { SpContext } from '../core/sp/context.js';
import { type ImportResult, importProfileMetadata } from '../core/sp/profile-import.js';
import type { SeedStateStore } from '../store/sqlite/seed-state.store.js';
import { type KeptEdit, pickSeededFields, reconcileSeededFields, SEEDED_MIMECAST_PROFILE } from './seed-reconcile.js';

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
 * Seeds the Mimecast account of the Entra tutorial when the store is empty, in one transaction:
 * account, authentication profile (SAML enforced, both context switches off, Allow Single Sign On on)
 * and two addresses — B.Simon (Personal Portal) and an administrator (Administration Console). A
 * process killed half-way leaves nothing, so the next start seeds it all. Returns false when data
 * already exists, so a restart never overwrites what a person changed.
 */
export function seedSpWalkthrough(
  ctx: SpContext,
  seedState: SeedStateStore,
  stage: 'ready' | 'before-tutorial' = 'ready',
): Promise<boolean> {
  return seedState.runInTransaction(() => writeSpSeed(ctx, stage));
}

/**
 * 'before-tutorial' stops where the tutorial starts: the account and B.Simon's address, but no
 * authentication profile (a person makes it with "New Authentication Profile" and Import).
 */
async function writeSpSeed(ctx: SpContext, stage: 'ready' | 'before-tutorial'): Promise<boolean> {
  if ((await ctx.stores.accounts.list()).length > 0) return false;
  const now = ctx.clock.now();
  await ctx.stores.accounts.create({
    code: SEED.accountCode,
    region: SEED.region,
    name: SEED.accountName,
    domains: [SEED.domain],
    createdAt: now.toISOString(),
  });
  await ctx.stores.directory.create(
    {
      accountCode: SEED.accountCode,
      email: SEED.userEmail,
      globalName: SEED.userName,
      forceChangeAtLogin: false,
      roles: [],
      createdAt: now.toISOString(),
    },
    null,
  );
  if (stage === 'before-tutorial') return true;
  await ctx.stores.profiles.put({
    ...buildDefaultProfile(SEED.accountCode, now),
    ...TUTORIAL_PROFILE_SWITCHES,
    description: 'Entra ID SSO (walk-through)',
  });
  await ctx.stores.directory.create(
    {
      accountCode: SEED.accountCode,
      email: SEED.adminEmail,
      globalName: 'Contoso Administrator',
      forceChangeAtLogin: false,
      roles: ['Super Administrator'],
      createdAt: now.toISOString(),
    },
    null,
  );
  return true;
}

/** "Metadata URL › Import" over real HTTP, as a person would do it in the profile. */
export function importSeedMetadata(ctx: SpContext, metadataUrl: string): Promise<ImportResult> {
  return importProfileMetadata(ctx, SEED.accountCode, { url: metadataUrl });
}

/** Remembers the profile's URL fields as the seed's import wrote them. */
export async function recordSeededProfile(ctx: SpContext, seedState: SeedStateStore): Promise<void> {
  const profile = await ctx.stores.profiles.get(SEED.accountCode);
  if (profile)
    seedState.write(SEEDED_MIMECAST_PROFILE.name, {
      accountCode: SEED.accountCode,
      fields: pickSeededFields(SEEDED_MIMECAST_PROFILE, profile),
    });
}

/**
 * A restart: the profile's URL fields still as the seed's import wrote them follow the mock Entra's
 * URLs of this start (`wanted`); fields a person edited are kept and returned.
 */
export async function followSeededProfile(ctx: SpContext, seedState: SeedStateStore, wanted: Record<string, unknown>): Promise<KeptEdit[]> {
  const state = seedState.read(SEEDED_MIMECAST_PROFILE.name);
  const profile = await ctx.stores.profiles.get(SEED.accountCode);
  if (!state || !profile || state.accountCode !== SEED.accountCode) return [];
  const plan = reconcileSeededFields(
    SEEDED_MIMECAST_PROFILE,
    (state.fields ?? {}) as Record<string, unknown>,
    pickSeededFields(SEEDED_MIMECAST_PROFILE, profile),
    wanted,
  );
  if (Object.keys(plan.updates).length > 0)
    await ctx.stores.profiles.put({ ...profile, ...plan.updates, updatedAt: ctx.clock.now().toISOString() });
  seedState.write(SEEDED_MIMECAST_PROFILE.name, { accountCode: SEED.accountCode, fields: plan.record });
  return plan.kept;
}
