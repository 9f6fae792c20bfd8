/**
 * The kit every case builds from: the SP's URLs, the trusted IdP key and an attacker key, and a
 * baseline builder that produces the response a default Entra app would send for the test user.
 */

import { buildEntraResponse } from '../core/idp/response-builder.js';
import { createSequentialIds } from '../core/ids.js';
import { buildEntraIssuer } from '../core/saml/constants.js';
import { buildAccountUrls } from '../core/sp/accounts.js';
import type { BaselineOverrides, CaseKit, KeyPair } from './types.js';

/** The account every case signs in to. */
export const CONFORMANCE_ACCOUNT = { code: 'CUK12A34', region: 'eu' as const, name: 'Contoso (conformance)', domains: ['contoso.com'] };
/** The Entra tenant the trusted IdP speaks for. */
export const CONFORMANCE_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** A fixed instant inside the test certificates' validity, so every run judges the same times. */
export const CONFORMANCE_NOW = new Date('2027-03-01T10:00:00.000Z');
/** The attacker's own, legitimate address in the account's directory. */
export const CONFORMANCE_USER = 'B.Simon@contoso.com';
/** A Super Administrator of the account: the identity attacks try to take. */
export const CONFORMANCE_VICTIM = 'admin@contoso.com';

/** Builds the kit for one run. `publicBaseUrl` is the listening SP's origin (no trailing slash). */
export function buildCaseKit(input: {
  publicBaseUrl: string;
  idp: KeyPair;
  attacker: KeyPair;
  spEncryptionCert: string;
  now?: Date;
}): CaseKit {
  const now = input.now ?? CONFORMANCE_NOW;
  const urls = buildAccountUrls(CONFORMANCE_ACCOUNT, input.publicBaseUrl);
  // GUID-shaped like Entra's, and distinct across the run so no two cases share a response or assertion ID.
  const ids = createSequentialIds('conformance');
  const newId = () => `_${ids.uuid()}`;
  const respond = (overrides: BaselineOverrides = {}) => {
    const { user, signing, ...rest } = overrides;
    return buildEntraResponse({
      tenantId: CONFORMANCE_TENANT_ID,
      destination: urls.localAcsUrl,
      audience: urls.entraIdentifier,
      issueInstant: now,
      ids: { responseId: newId(), assertionId: newId() },
      ...rest,
      user: {
        userPrincipalName: CONFORMANCE_USER,
        mail: CONFORMANCE_USER,
        objectId: '8c1e6f4a-3b2d-4e5f-9a0b-1c2d3e4f5a6b',
        displayName: 'B. Simon',
        ...user,
      },
      signing: { key: input.idp.key, cert: input.idp.cert, option: 'assertion', algorithm: 'sha256', ...signing },
    });
  };
  return {
    now,
    acsUrl: urls.localAcsUrl,
    identifier: urls.entraIdentifier,
    issuer: buildEntraIssuer(CONFORMANCE_TENANT_ID),
    tenantId: CONFORMANCE_TENANT_ID,
    accountCode: CONFORMANCE_ACCOUNT.code,
    user: CONFORMANCE_USER,
    victim: CONFORMANCE_VICTIM,
    idp: input.idp,
    attacker: input.attacker,
    spEncryptionCert: input.spEncryptionCert,
    respond,
    newId,
  };
}
