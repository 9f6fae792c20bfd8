/**
 * Tenants as "Manage tenants" › "Create a tenant" (and the API) make them: the initial domain
 * `<name>.onmicrosoft.com`, an optional custom primary domain, and the tenant's own signing keys,
 * made with the tenant so that no two tenants, and no tenant and the seeded test key, share one.
 */
import { AppError } from '../errors.js';
import { describeCertificate } from '../saml/certs.js';
import { isDomainName } from '../saml/email-address.js';
import { createTenant } from './admin.js';
import { type NewTenantInput, normalizeUpn, type Tenant } from './directory.js';
import { buildFieldError, type FieldError, type FormOutcome } from './field-errors.js';
import type { IdpContext } from './idp-context.js';
import { loadTenantKeys, selectTenantSigningKey } from './tenant-keys.js';

/** Every tenant's initial domain ends so. */
export const INITIAL_DOMAIN_SUFFIX = '.onmicrosoft.com';
/**
 * Longest initial domain name before the suffix. Entra's exact limit is unconfirmed; 27 is what
 * its tenant creation has been seen to accept, kept here so it is easy to change.
 */
export const INITIAL_DOMAIN_MAX_LENGTH = 27;

/** "Create a tenant" as typed. */
export interface NewTenantForm {
  /** The part before .onmicrosoft.com (a whole initial domain is accepted too). */
  initialDomain: string;
  /** A custom domain such as fabrikam.com, verified at once in the mock; empty for none. */
  primaryDomain: string;
}

export const NEW_TENANT_MESSAGES = {
  required: 'The value must not be empty.',
  initialDomain: 'The initial domain name can contain only letters and numbers.',
  tooLong: `The initial domain name can be at most ${INITIAL_DOMAIN_MAX_LENGTH} characters long.`,
  initialInUse: 'This domain name is not available. Try another one.',
  primaryDomain: 'Enter a domain name, such as fabrikam.com.',
  primaryOnMicrosoft: 'A custom domain cannot end with .onmicrosoft.com.',
  primaryInUse: 'This domain is already verified in another tenant.',
} as const;

/** The label before .onmicrosoft.com, lower case ("Fabrikam.onmicrosoft.com" and "fabrikam" both give "fabrikam"). */
function readInitialLabel(value: string): string {
  const folded = normalizeUpn(value);
  return folded.endsWith(INITIAL_DOMAIN_SUFFIX) ? folded.slice(0, -INITIAL_DOMAIN_SUFFIX.length) : folded;
}

/** Checks the form before anything is stored (uniqueness is judged against `others`); every refused field at once. */
export function validateNewTenantForm(form: NewTenantForm, others: readonly Tenant[]): FieldError[] {
  const errors: FieldError[] = [];
  const label = readInitialLabel(form.initialDomain);
  const taken = (domain: string) => others.some((t) => t.name === domain || t.verifiedDomains.includes(domain));
  if (label === '') errors.push(buildFieldError('initialDomain', 'required', NEW_TENANT_MESSAGES.required));
  else if (label.length > INITIAL_DOMAIN_MAX_LENGTH) errors.push(buildFieldError('initialDomain', 'too-long', NEW_TENANT_MESSAGES.tooLong));
  else if (!/^[a-z0-9]+$/.test(label)) errors.push(buildFieldError('initialDomain', 'invalid-domain', NEW_TENANT_MESSAGES.initialDomain));
  else if (taken(`${label}${INITIAL_DOMAIN_SUFFIX}`))
    errors.push(buildFieldError('initialDomain', 'in-use', NEW_TENANT_MESSAGES.initialInUse));
  const primary = normalizeUpn(form.primaryDomain);
  if (primary === '') return errors;
  if (primary.length > 253 || !isDomainName(primary) || !primary.includes('.'))
    errors.push(buildFieldError('primaryDomain', 'invalid-domain', NEW_TENANT_MESSAGES.primaryDomain));
  else if (primary.endsWith(INITIAL_DOMAIN_SUFFIX))
    errors.push(buildFieldError('primaryDomain', 'invalid-domain', NEW_TENANT_MESSAGES.primaryOnMicrosoft));
  else if (taken(primary)) errors.push(buildFieldError('primaryDomain', 'in-use', NEW_TENANT_MESSAGES.primaryInUse));
  return errors;
}

/**
 * Creates a tenant and, with it, its own signing keys (the tenant-wide metadata's): freshly
 * generated, never shared. The API and the console come through here; the seeds use createTenant,
 * whose tenants get their keys when the tenant-wide metadata is first asked for.
 */
export async function createTenantWithKeys(ctx: IdpContext, input: NewTenantInput): Promise<Tenant> {
  const tenant = await createTenant(ctx, input);
  await loadTenantKeys(ctx, tenant.tenantId);
  return tenant;
}

/** "Create a tenant" › Create: the form checked, then the tenant and its keys made. */
export async function createConsoleTenant(ctx: IdpContext, form: NewTenantForm): Promise<FormOutcome<Tenant>> {
  const errors = validateNewTenantForm(form, await ctx.stores.tenants.list());
  if (errors.length > 0) return { ok: false, errors };
  const primary = normalizeUpn(form.primaryDomain);
  const input = {
    name: `${readInitialLabel(form.initialDomain)}${INITIAL_DOMAIN_SUFFIX}`,
    verifiedDomains: primary === '' ? [] : [primary],
  };
  try {
    return { ok: true, value: await createTenantWithKeys(ctx, input) };
  } catch (err) {
    // Another tenant made between the check and the insert.
    if (!(err instanceof AppError) || err.code !== 'IDP_TENANT_EXISTS') throw err;
    return { ok: false, errors: [buildFieldError('initialDomain', 'in-use', NEW_TENANT_MESSAGES.initialInUse)] };
  }
}

/** One row of "Manage tenants". */
export interface TenantRow {
  tenant: Tenant;
  /** The primary domain: the first custom domain, else the initial one. */
  primaryDomain: string;
  /** Thumbprint of the key that signs the tenant-wide metadata; null until the keys are made. */
  signingThumbprint: string | null;
}

/** The tenants with their primary domain and signing key, as "Manage tenants" lists them. */
export async function describeTenants(ctx: IdpContext): Promise<TenantRow[]> {
  const tenants = await ctx.stores.tenants.list();
  return Promise.all(
    tenants.map(async (tenant) => {
      const signer = selectTenantSigningKey(await ctx.stores.tenantKeys.list(tenant.tenantId));
      return {
        tenant,
        primaryDomain: tenant.verifiedDomains[0] ?? tenant.name,
        signingThumbprint: signer ? describeCertificate(signer.cert).thumbprint : null,
      };
    }),
  );
}
