/**
 * The directory look-ups behind the sign-in pages: the user a typed username names, and the user a
 * password proves. A My Apps sign-in names no tenant, so the UPN finds it (UPNs are unique in Entra).
 */
import type { IdpUser } from './directory.js';
import type { IdpContext } from './idp-context.js';

/** The user with this UPN in `tenantId` (any tenant when null), or null; an empty username names nobody. */
export async function findSignInUser(ctx: IdpContext, tenantId: string | null, upn: string): Promise<IdpUser | null> {
  if (upn === '') return null;
  return tenantId === null ? ctx.stores.users.findByUpnAnyTenant(upn) : ctx.stores.users.findByUpn(tenantId, upn);
}

/** The user when the password is theirs, else null (a wrong password and an unknown user look alike). */
export async function verifySignInPassword(
  ctx: IdpContext,
  tenantId: string | null,
  upn: string,
  password: string,
): Promise<IdpUser | null> {
  const tenant = tenantId ?? (await findSignInUser(ctx, null, upn))?.tenantId ?? null;
  return tenant === null ? null : ctx.stores.users.verifyPassword(tenant, upn, password);
}
