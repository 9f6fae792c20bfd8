/**
 * Which NameID Entra puts in the Subject: the app's Name ID source as configured, unless the
 * AuthnRequest's NameIDPolicy asks for a persistent or transient identifier, or the source is empty.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IdGenerator } from '../ids.js';
import { NAMEID_FORMAT } from '../saml/constants.js';
import { type EntraUser, type NameIdSource, selectNameIdValue } from './claims.js';

/** The NameID that goes in the assertion, and why (for the trace and the tests). */
export interface NameIdDecision {
  value: string;
  format: string;
  /** `source`: the app's Name ID source; `pairwise`/`transient`: an opaque value Entra made up. */
  kind: 'source' | 'pairwise' | 'transient';
}

interface NameIdInput {
  tenantId: string;
  appId: string;
  nameIdSource: NameIdSource;
  nameIdFormat: string;
  policyFormat: string | null;
}

/**
 * A stable pairwise identifier for one app and one user: HMAC-SHA256 of the user's object id keyed
 * by tenant and app, base64url without padding (43 characters, the length of Entra's persistent
 * NameIDs). Two apps see two different values for the same user; the same app always sees one.
 */
export function buildPairwiseNameId(tenantId: string, appId: string, objectId: string): string {
  return createHmac('sha256', `${tenantId}/${appId}`).update(objectId).digest('base64url');
}

/** A random NameID for one sign-in only (transient, SAML Core 8.3.8), never the user's own name. */
function buildTransientNameId(ids: IdGenerator): string {
  return createHash('sha256').update(ids.uuid()).update(ids.uuid()).digest('base64url');
}

/**
 * Decides the NameID (SAML Core 3.4.1.1, Entra's "Single sign-on SAML protocol" NameIDPolicy table):
 * `persistent` asked for → the pairwise value; `transient` → a random value per sign-in; otherwise
 * the source's value with the app's format (or the requested emailAddress). A source with no value
 * for this user (e.g. user.mail of a user without a mailbox) makes Entra fall back to the pairwise
 * persistent value instead of failing — inferred from observed Entra behaviour, not documented.
 */
export function decideNameId(app: NameIdInput, user: EntraUser, ids: IdGenerator): NameIdDecision {
  const pairwise = (): NameIdDecision => ({
    value: buildPairwiseNameId(app.tenantId, app.appId, user.objectId),
    format: NAMEID_FORMAT.persistent,
    kind: 'pairwise',
  });
  if (app.policyFormat === NAMEID_FORMAT.persistent) return pairwise();
  if (app.policyFormat === NAMEID_FORMAT.transient)
    return { value: buildTransientNameId(ids), format: NAMEID_FORMAT.transient, kind: 'transient' };
  const value = selectNameIdValue(app.nameIdSource, user);
  if (value === null) return pairwise();
  const format = app.policyFormat !== null && app.policyFormat !== NAMEID_FORMAT.unspecified ? app.policyFormat : app.nameIdFormat;
  return { value, format, kind: 'source' };
}
