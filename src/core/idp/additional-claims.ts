/**
 * Attributes & Claims › Additional claims: the claims an app emits besides the Name ID, each a Name,
 * an optional Namespace and a source attribute of the user, as Entra's "Manage claim" page has them.
 * A gallery app starts with Entra's four (givenname, surname, emailaddress, name). The Microsoft
 * claims (tenantid, objectidentifier, displayname, identityprovider, authnmethodsreferences) are not
 * on that list: Entra always sends them.
 */

import { trimTrailingSlashes } from '../text.js';
import type { EntraUser } from './entra-user.js';
import { buildFieldError, type FieldError } from './field-errors.js';

/** Source attributes the mock offers (Entra's spelling). */
export type ClaimSource = 'user.givenname' | 'user.surname' | 'user.mail' | 'user.userprincipalname' | 'user.objectid' | 'user.displayname';

export const CLAIM_SOURCES: readonly ClaimSource[] = [
  'user.givenname',
  'user.surname',
  'user.mail',
  'user.userprincipalname',
  'user.objectid',
  'user.displayname',
];

export interface AdditionalClaim {
  name: string;
  /** An absolute URI, or '' for a claim named by its Name alone. */
  namespace: string;
  source: ClaimSource;
}

export const DEFAULT_CLAIM_NAMESPACE = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

/** What a new gallery app lists, in the order Entra writes them into the AttributeStatement. */
export const DEFAULT_ADDITIONAL_CLAIMS: readonly AdditionalClaim[] = [
  { name: 'givenname', namespace: DEFAULT_CLAIM_NAMESPACE, source: 'user.givenname' },
  { name: 'surname', namespace: DEFAULT_CLAIM_NAMESPACE, source: 'user.surname' },
  { name: 'emailaddress', namespace: DEFAULT_CLAIM_NAMESPACE, source: 'user.mail' },
  { name: 'name', namespace: DEFAULT_CLAIM_NAMESPACE, source: 'user.userprincipalname' },
];

/** More than any real app has; keeps one form from growing an app without bound. */
export const MAX_ADDITIONAL_CLAIMS = 50;

/** The SAML Attribute Name: namespace/name, or the name alone without a namespace. */
export function formatClaimUri(claim: Pick<AdditionalClaim, 'name' | 'namespace'>): string {
  return claim.namespace === '' ? claim.name : `${trimTrailingSlashes(claim.namespace)}/${claim.name}`;
}

/** The user's value for a source attribute; undefined or '' when the user has none. */
export function readClaimSource(source: ClaimSource, user: EntraUser): string | null | undefined {
  switch (source) {
    case 'user.givenname':
      return user.givenName;
    case 'user.surname':
      return user.surname;
    case 'user.mail':
      return user.mail;
    case 'user.userprincipalname':
      return user.userPrincipalName;
    case 'user.objectid':
      return user.objectId;
    case 'user.displayname':
      return user.displayName;
  }
}

function isAbsoluteUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

/**
 * "Manage claim" › Save for a new claim: Name required, without spaces; Namespace empty or an
 * absolute URI; a listed source; not the same Name and Namespace as a claim already there.
 */
export function validateNewClaim(
  form: { name: string; namespace: string; source: string },
  existing: readonly AdditionalClaim[],
): FieldError[] {
  const errors: FieldError[] = [];
  const name = form.name.trim();
  const namespace = form.namespace.trim();
  if (name === '') errors.push(buildFieldError('claimName', 'required', 'The value must not be empty.'));
  else if (/\s/.test(name) || name.length > 256)
    errors.push(buildFieldError('claimName', 'invalid-uri', 'Enter a name without spaces, at most 256 characters.'));
  if (namespace !== '' && (namespace.length > 256 || !isAbsoluteUri(namespace))) {
    errors.push(
      buildFieldError(
        'claimNamespace',
        'invalid-uri',
        'Enter an absolute URI, such as http://schemas.xmlsoap.org/ws/2005/05/identity/claims, or leave it empty.',
      ),
    );
  }
  if (!(CLAIM_SOURCES as readonly string[]).includes(form.source))
    errors.push(buildFieldError('claimSource', 'invalid-choice', 'Choose one of the listed values.'));
  if (errors.length === 0) {
    const uri = formatClaimUri({ name, namespace });
    if (existing.some((c) => formatClaimUri(c) === uri))
      errors.push(buildFieldError('claimName', 'duplicate', 'A claim with this name and namespace already exists.'));
    else if (existing.length >= MAX_ADDITIONAL_CLAIMS)
      errors.push(
        buildFieldError(
          'claimName',
          'too-long',
          `An app can have at most ${MAX_ADDITIONAL_CLAIMS} additional claims here; delete one before adding another.`,
        ),
      );
  }
  return errors;
}
