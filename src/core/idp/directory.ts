/**
 * The mock Entra directory: tenants and their users, as the sign-in pages and the claims read them.
 * Pure: ids and time come in, nothing is stored here.
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { EntraUser } from './claims.js';

/** How a user proves who they are; drives the AuthnContextClassRef and AADSTS75011. */
export type AuthMethod = 'password' | 'multi-factor' | 'windows-integrated' | 'certificate';

export const AUTH_METHODS: readonly AuthMethod[] = ['password', 'multi-factor', 'windows-integrated', 'certificate'];

/** An Entra tenant: a GUID, its initial domain name and verified custom domains. */
export interface Tenant {
  tenantId: string;
  /** The initial domain, e.g. contoso.onmicrosoft.com. */
  name: string;
  /** Lower-case custom domains, e.g. contoso.com. */
  verifiedDomains: string[];
  createdAt: string;
}

/** A directory user (Entra's member user). */
export interface IdpUser extends EntraUser {
  tenantId: string;
  mail: string | null;
  authMethod: AuthMethod;
  createdAt: string;
}

export interface NewTenantInput {
  name: string;
  tenantId?: string;
  verifiedDomains?: string[];
}

export interface NewUserInput {
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  givenName?: string;
  surname?: string;
  authMethod?: AuthMethod;
  objectId?: string;
}

/** Lower-cases a UPN or domain for comparisons: Entra treats UPNs case-insensitively. */
export function normalizeUpn(upn: string): string {
  return upn.trim().toLowerCase();
}

/** Builds a tenant with a fresh GUID unless one is given. */
export function buildTenant(input: NewTenantInput, deps: { ids: IdGenerator; clock: Clock }): Tenant {
  return {
    tenantId: (input.tenantId ?? deps.ids.uuid()).toLowerCase(),
    name: normalizeUpn(input.name),
    verifiedDomains: [...new Set((input.verifiedDomains ?? []).map(normalizeUpn))],
    createdAt: deps.clock.now().toISOString(),
  };
}

/** True when `nameOrId` is the tenant's id, initial domain or one of its verified domains (Entra accepts all three in URLs). */
export function matchTenant(tenant: Tenant, nameOrId: string): boolean {
  const wanted = normalizeUpn(nameOrId);
  return tenant.tenantId === wanted || tenant.name === wanted || tenant.verifiedDomains.includes(wanted);
}

/**
 * Builds a user of `tenant`. The UPN's domain must be the tenant's initial domain or a verified
 * domain (IDP_UPN_DOMAIN_NOT_VERIFIED), as Entra's "Create new user" enforces.
 */
export function buildUser(tenant: Tenant, input: NewUserInput, deps: { ids: IdGenerator; clock: Clock }): IdpUser {
  const upn = input.userPrincipalName.trim();
  const domain = normalizeUpn(upn.split('@')[1] ?? '');
  if (domain !== tenant.name && !tenant.verifiedDomains.includes(domain)) {
    throw new AppError('IDP_UPN_DOMAIN_NOT_VERIFIED', undefined, { details: { domain, allowed: [tenant.name, ...tenant.verifiedDomains] } });
  }
  const user: IdpUser = {
    tenantId: tenant.tenantId,
    userPrincipalName: upn,
    mail: input.mail === undefined ? upn : input.mail,
    objectId: input.objectId ?? deps.ids.uuid(),
    displayName: input.displayName,
    authMethod: input.authMethod ?? 'password',
    createdAt: deps.clock.now().toISOString(),
  };
  if (input.givenName !== undefined) user.givenName = input.givenName;
  if (input.surname !== undefined) user.surname = input.surname;
  return user;
}
