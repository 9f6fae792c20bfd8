/**
 * Account and profile operations behind the JSON API. No HTTP in here (plain SpContext in, domain
 * objects out), so these can move under core/sp unchanged.
 */
import { AppError } from '../../core/errors.js';
import { buildAccountUrls, buildDefaultProfile, type Account, type AccountUrls, type AuthProfile } from '../../core/sp/accounts.js';
import type { SpContext } from '../../core/sp/context.js';
import { validateProfileCertificates } from '../../core/sp/profiles.js';
import type { RegionCode } from '../../core/sp/regions.js';

/** An account as the API shows it: with the values an Entra admin types in. */
export type AccountView = Account & { urls: AccountUrls };

/** The account with this code, or ACCOUNT_NOT_FOUND. */
export async function requireAccount(ctx: SpContext, code: string): Promise<Account> {
  const account = await ctx.stores.accounts.get(code);
  if (account === null) throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code } });
  return account;
}

/** Adds the derived URLs; the Identifier form follows the profile's provider (Entra by default). */
export async function describeAccount(ctx: SpContext, account: Account): Promise<AccountView> {
  const profile = await ctx.stores.profiles.get(account.code);
  return { ...account, urls: buildAccountUrls(account, ctx.settings.publicBaseUrl, profile?.provider ?? 'entra') };
}

/**
 * Creates an account. Like a new Mimecast account it has no authentication profile yet: the admin
 * creates one ("New Authentication Profile", or PUT /api/accounts/{code}/profile, or an import), and
 * until then sign-in answers PROFILE_NOT_FOUND.
 */
export async function createAccount(ctx: SpContext, input: { code: string; region: RegionCode; name?: string; domains: string[] }): Promise<Account> {
  return ctx.stores.accounts.create({
    code: input.code,
    region: input.region,
    name: input.name ?? input.code,
    domains: input.domains,
    createdAt: ctx.clock.now().toISOString(),
  });
}

/** Changes region, name or domains; DOMAIN_IN_USE comes from the store. */
export async function updateAccountFields(
  ctx: SpContext,
  code: string,
  patch: { region?: RegionCode; name?: string; domains?: string[] },
): Promise<Account> {
  const account = await requireAccount(ctx, code);
  return ctx.stores.accounts.update({ ...account, ...patch });
}

/** Deletes an account with its profile and directory, or ACCOUNT_NOT_FOUND. */
export async function deleteAccountByCode(ctx: SpContext, code: string): Promise<void> {
  if (!(await ctx.stores.accounts.delete(code))) throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code } });
}

/** The account's profile, or PROFILE_NOT_FOUND (ACCOUNT_NOT_FOUND first when the account is unknown). */
export async function requireProfile(ctx: SpContext, code: string): Promise<AuthProfile> {
  await requireAccount(ctx, code);
  const profile = await ctx.stores.profiles.get(code);
  if (profile === null) throw new AppError('PROFILE_NOT_FOUND', undefined, { details: { code } });
  return profile;
}

/**
 * Writes the editable profile fields over the current profile (or Mimecast's defaults when there is
 * none). Certificates are parsed and normalised first, so a bad PEM is refused before anything is saved.
 */
export async function saveProfileFields(
  ctx: SpContext,
  code: string,
  fields: Partial<Omit<AuthProfile, 'accountCode' | 'updatedAt'>>,
): Promise<AuthProfile> {
  await requireAccount(ctx, code);
  const now = ctx.clock.now();
  const current = (await ctx.stores.profiles.get(code)) ?? buildDefaultProfile(code, now);
  const idpCertificates = fields.idpCertificates === undefined ? current.idpCertificates : validateProfileCertificates(fields.idpCertificates);
  return ctx.stores.profiles.put({ ...current, ...fields, idpCertificates, accountCode: code, updatedAt: now.toISOString() });
}
