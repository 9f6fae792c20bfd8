/**
 * Attributes & Claims in the admin console: the Name ID (source and format) and the additional claims,
 * each save checked with Entra's rules, refused fields returned for the page to show.
 */
import { NAMEID_FORMAT } from '../saml/constants.js';
import {
  type AdditionalClaim,
  type ClaimSource,
  DEFAULT_ADDITIONAL_CLAIMS,
  formatClaimUri,
  validateNewClaim,
} from './additional-claims.js';
import { requireApp, updateAppSettings } from './admin.js';
import type { EnterpriseApp } from './apps.js';
import { NAME_ID_SOURCES, type NameIdSource } from './claims.js';
import { buildFieldError, type FieldError, type FormOutcome } from './field-errors.js';
import type { IdpContext } from './idp-context.js';

const CHOICE = 'Choose one of the listed values.';

/** "Choose name identifier format" options, as the Manage claim pane lists them. */
export const NAME_ID_FORMATS: readonly { value: string; label: string }[] = [
  { value: NAMEID_FORMAT.emailAddress, label: 'Email address' },
  { value: NAMEID_FORMAT.persistent, label: 'Persistent' },
  { value: NAMEID_FORMAT.transient, label: 'Transient' },
  { value: NAMEID_FORMAT.unspecified, label: 'Unspecified' },
];

/** The app's additional claims: Entra's four until the admin changes them. */
export function readAdditionalClaims(app: EnterpriseApp): AdditionalClaim[] {
  return app.additionalClaims ?? DEFAULT_ADDITIONAL_CLAIMS.map((c) => ({ name: c.name, namespace: c.namespace, source: c.source }));
}

/** Attributes & Claims as the page lists them: the Name ID (source and format) and each additional claim. */
export function describeAppClaims(app: EnterpriseApp): {
  nameIdFormatLabel: string;
  additional: { name: string; short: string; source: string }[];
} {
  const additional = readAdditionalClaims(app).map((c) => ({ name: formatClaimUri(c), short: c.name, source: c.source }));
  const label = NAME_ID_FORMATS.find((f) => f.value === app.nameIdFormat)?.label ?? app.nameIdFormat;
  return { nameIdFormatLabel: label, additional };
}

/** Attributes & Claims › Add new claim: Name, Namespace and Source attribute. */
export async function addAdditionalClaim(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  form: { name: string; namespace: string; source: string },
): Promise<FormOutcome<EnterpriseApp>> {
  const app = await requireApp(ctx, tenantId, appId);
  const existing = readAdditionalClaims(app);
  const errors = validateNewClaim(form, existing);
  if (errors.length > 0) return { ok: false, errors };
  const claim: AdditionalClaim = { name: form.name.trim(), namespace: form.namespace.trim(), source: form.source as ClaimSource };
  return { ok: true, value: await updateAppSettings(ctx, tenantId, appId, { additionalClaims: [...existing, claim] }) };
}

/**
 * Attributes & Claims › an additional claim › Delete, by its claim name (namespace/name), so a page
 * left open while the list changed cannot delete the wrong row; an unknown name changes nothing.
 */
export async function deleteAdditionalClaim(ctx: IdpContext, tenantId: string, appId: string, claimUri: string): Promise<EnterpriseApp> {
  const app = await requireApp(ctx, tenantId, appId);
  const existing = readAdditionalClaims(app);
  const kept = existing.filter((c) => formatClaimUri(c) !== claimUri);
  return kept.length === existing.length ? app : updateAppSettings(ctx, tenantId, appId, { additionalClaims: kept });
}

/** Attributes & Claims › Unique User Identifier (Name ID): source attribute and format. */
export async function saveNameIdClaim(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  form: { source: string; format: string },
): Promise<FormOutcome<EnterpriseApp>> {
  const errors: FieldError[] = [];
  if (!(NAME_ID_SOURCES as readonly string[]).includes(form.source)) errors.push(buildFieldError('nameIdSource', 'invalid-choice', CHOICE));
  if (!NAME_ID_FORMATS.some((f) => f.value === form.format)) errors.push(buildFieldError('nameIdFormat', 'invalid-choice', CHOICE));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: await updateAppSettings(ctx, tenantId, appId, { nameIdSource: form.source as NameIdSource, nameIdFormat: form.format }),
  };
}
