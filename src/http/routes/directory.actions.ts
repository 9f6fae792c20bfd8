/**
 * Internal Directory operations behind the JSON API. No HTTP in here, so these can move under
 * core/sp unchanged.
 */
import { AppError } from '../../core/errors.js';
import { readEmailDomain, type DirectoryUser } from '../../core/sp/accounts.js';
import type { SpContext } from '../../core/sp/context.js';
import { requireAccount } from './account.actions.js';

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
