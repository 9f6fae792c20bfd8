/**
 * The claims an Entra enterprise app emits by default, and how the app's "Unique User Identifier
 * (Name ID)" source picks the NameID value.
 */
import { buildEntraIssuer, ENTRA_CLAIM } from '../saml/constants.js';
import { type AdditionalClaim, DEFAULT_ADDITIONAL_CLAIMS, formatClaimUri, readClaimSource } from './additional-claims.js';
import type { EntraUser } from './entra-user.js';
import { ENTRA_DEFAULTS } from './saml-names.js';

export type { EntraUser } from './entra-user.js';

/** One SAML Attribute: Name plus its AttributeValues, in order. */
export interface Claim {
  name: string;
  values: string[];
}

/** The Name ID sources the mock Entra offers in "Attributes & Claims" (Entra's own spelling). */
export type NameIdSource = 'user.userprincipalname' | 'user.mail' | 'user.objectid';

export const NAME_ID_SOURCES: readonly NameIdSource[] = ['user.userprincipalname', 'user.mail', 'user.objectid'];

/**
 * Builds Entra's default claims for a user, in the order Entra lists them in the AttributeStatement
 * (SAML Core 2.7.3). A claim whose source attribute is empty is left out, as Entra does: a user with
 * no `mail` gets no emailaddress attribute at all, which is a classic cause of failed SSO.
 */
export function buildDefaultClaims(
  user: EntraUser,
  tenantId: string,
  authnMethodsReferences: readonly string[] = ENTRA_DEFAULTS.authnMethodsReferences,
  additional: readonly AdditionalClaim[] = DEFAULT_ADDITIONAL_CLAIMS,
): Claim[] {
  const candidates: [string, string | null | undefined][] = [
    [ENTRA_CLAIM.tenantId, tenantId],
    [ENTRA_CLAIM.objectId, user.objectId],
    [ENTRA_CLAIM.displayName, user.displayName],
    // For a member user the identity provider is the tenant itself; guests would name their home IdP.
    [ENTRA_CLAIM.identityProvider, buildEntraIssuer(tenantId)],
  ];
  const claims = candidates.flatMap(([name, value]) => (value ? [{ name, values: [value] }] : []));
  if (authnMethodsReferences.length > 0) {
    claims.push({ name: ENTRA_CLAIM.authnMethodsReferences, values: [...authnMethodsReferences] });
  }
  // The app's additional claims (Attributes & Claims), Entra's four unless the admin changed them.
  for (const claim of additional) {
    const value = readClaimSource(claim.source, user);
    if (value) claims.push({ name: formatClaimUri(claim), values: [value] });
  }
  return claims;
}

/**
 * Applies an app's claim edits: `omit` removes claims by Name; each `extra` claim replaces the values
 * of a claim with the same Name where it stands (so the order stays Entra's), or is appended.
 */
export function applyClaimEdits(claims: readonly Claim[], edits: { extra?: readonly Claim[]; omit?: readonly string[] }): Claim[] {
  const omitted = new Set(edits.omit ?? []);
  const result = claims.filter((c) => !omitted.has(c.name)).map((c) => ({ name: c.name, values: [...c.values] }));
  for (const extra of edits.extra ?? []) {
    const existing = result.find((c) => c.name === extra.name);
    if (existing) existing.values = [...extra.values];
    else result.push({ name: extra.name, values: [...extra.values] });
  }
  return result;
}

/**
 * Picks the NameID value for a Name ID source. Returns null when the source attribute is empty
 * (e.g. `user.mail` for a user without a mailbox), so the caller can refuse as Entra would.
 */
export function selectNameIdValue(source: NameIdSource, user: EntraUser): string | null {
  switch (source) {
    case 'user.userprincipalname':
      return user.userPrincipalName || null;
    case 'user.mail':
      return user.mail || null;
    case 'user.objectid':
      return user.objectId || null;
  }
}
