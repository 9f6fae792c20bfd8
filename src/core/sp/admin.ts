/**
 * The admin operations behind the mock Mimecast's API and console: accounts, their authentication
 * profile and Internal Directory (the console's "New Domain", "New Address", "Save and Exit"), the
 * SSO log's traces, each one function over plain values. The routes parse the request, call these
 * and render or send the result.
 */

import { AppError } from '../errors.js';
import { describeCertificate, isCertificateValidAt } from '../saml/certs.js';
import type { CertificateInfo } from '../saml/types.js';
import {
  type Account,
  type AccountUrls,
  type AuthProfile,
  buildAccountUrls,
  buildDefaultProfile,
  type DirectoryUser,
  readEmailDomain,
} from './accounts.js';
import type { SpContext } from './context.js';
import { scheduleProfileChange } from './profile-apply.js';
import { validateProfileCertificates } from './profiles.js';
import type { RegionCode } from './regions.js';
import type { Trace } from './traces.js';

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
export async function createAccount(
  ctx: SpContext,
  input: { code: string; region: RegionCode; name?: string; domains: string[] },
): Promise<Account> {
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
  const stored = await ctx.stores.profiles.get(code);
  const current = stored ?? buildDefaultProfile(code, now);
  const idpCertificates =
    fields.idpCertificates === undefined ? current.idpCertificates : validateProfileCertificates(fields.idpCertificates);
  // Certificates typed or pasted by hand no longer come from the tenant-wide import.
  const sameCertificates = idpCertificates.join('\n') === current.idpCertificates.join('\n');
  const importedTenantWide = sameCertificates && current.importedTenantWide === true;
  const next = { ...current, ...fields, idpCertificates, importedTenantWide, accountCode: code, updatedAt: now.toISOString() };
  return ctx.stores.profiles.put(scheduleProfileChange(stored, next, now, ctx.settings.profileApplyDelayMs ?? 0));
}

/** Only the fields an address has; whatever else a store keeps (a password hash) never leaves. */
export function toPublicUser(user: DirectoryUser): DirectoryUser {
  return {
    accountCode: user.accountCode,
    email: user.email,
    globalName: user.globalName,
    forceChangeAtLogin: user.forceChangeAtLogin,
    roles: [...user.roles],
    createdAt: user.createdAt,
  };
}

/**
 * "New Address" in an Internal Directory. The address must be in one of the account's domains,
 * because sign-in finds the account by the email's domain. Global Name defaults to the local part.
 */
export async function addDirectoryUser(
  ctx: SpContext,
  code: string,
  input: { email: string; globalName?: string; password?: string; forceChangeAtLogin?: boolean; roles?: string[] },
): Promise<DirectoryUser> {
  const account = await requireAccount(ctx, code);
  const domain = readEmailDomain(input.email);
  if (domain === null || !account.domains.includes(domain)) {
    throw new AppError('DOMAIN_NOT_IN_ACCOUNT', undefined, { details: { domain, accountDomains: account.domains } });
  }
  const user: DirectoryUser = {
    accountCode: account.code,
    email: input.email,
    globalName: input.globalName ?? input.email.slice(0, input.email.lastIndexOf('@')),
    forceChangeAtLogin: input.forceChangeAtLogin ?? false,
    roles: input.roles ?? [],
    createdAt: ctx.clock.now().toISOString(),
  };
  return ctx.stores.directory.create(user, input.password ?? null);
}

/** The address (case-insensitive), or USER_NOT_FOUND. */
export async function requireDirectoryUser(ctx: SpContext, code: string, email: string): Promise<DirectoryUser> {
  await requireAccount(ctx, code);
  const user = await ctx.stores.directory.find(code, email);
  if (user === null) throw new AppError('USER_NOT_FOUND', undefined, { details: { email } });
  return user;
}

/** Changes Global Name, Force Change at Login or roles of an address. */
export async function updateDirectoryUser(
  ctx: SpContext,
  code: string,
  email: string,
  patch: { globalName?: string; forceChangeAtLogin?: boolean; roles?: string[] },
): Promise<DirectoryUser> {
  const user = await requireDirectoryUser(ctx, code, email);
  return ctx.stores.directory.update({ ...user, ...patch });
}

/** Removes an address, or USER_NOT_FOUND. */
export async function removeDirectoryUser(ctx: SpContext, code: string, email: string): Promise<void> {
  const user = await requireDirectoryUser(ctx, code, email);
  await ctx.stores.directory.delete(code, user.email);
}

/** One row of the profile form's certificate table: the certificate described, or why it is not one. */
export type CertificateRow = { ok: true; info: CertificateInfo; validNow: boolean } | { ok: false; problem: string };

/** Describes each entry of the certificate box for the table beside it; a bad entry becomes a row that says so. */
export function describeCertificateRows(pems: readonly string[], now: Date): CertificateRow[] {
  return pems.map((pem) => {
    try {
      const info = describeCertificate(pem);
      return { ok: true, info, validNow: isCertificateValidAt(info, now) };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : 'not a certificate' };
    }
  });
}

/** An account with its URLs and its profile (null when it has none yet). */
export interface AccountSetup {
  account: AccountView;
  profile: AuthProfile | null;
}

/** The account with this code and its profile, or null when there is no code or no such account (any more). */
export async function findAccountSetup(ctx: SpContext, code: string | null): Promise<AccountSetup | null> {
  const account = code === null ? null : await ctx.stores.accounts.get(code);
  if (account === null) return null;
  return { account: await describeAccount(ctx, account), profile: await ctx.stores.profiles.get(account.code) };
}

/** The trace with this id, or TRACE_NOT_FOUND. */
export async function requireTrace(ctx: SpContext, id: string): Promise<Trace> {
  const trace = await ctx.stores.traces.get(id);
  if (trace === null) throw new AppError('TRACE_NOT_FOUND', undefined, { details: { id } });
  return trace;
}
