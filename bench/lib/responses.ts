/**
 * Pre-generated, distinct, signed Entra responses for the benchmarks. Signing costs milliseconds, so
 * every response is built before any timing starts; each carries fresh Response and Assertion ids so
 * the ACS's replay check sees a new sign-in every time.
 */

import { buildEntraResponse } from '../../src/core/idp/response-builder.js';
import { randomIds } from '../../src/core/ids.js';
import { buildEntraIssuer } from '../../src/core/saml/constants.js';
import { readKeyPair } from '../../src/runtime/keys.js';

/** Who the responses are addressed to and from: the seeded walk-through (CUK12A34, B.Simon). */
export interface ResponseTarget {
  /** The SP's local ACS URL (Destination and Recipient). */
  acsUrl: string;
  /** The account's Entra Identifier (Audience). */
  audience: string;
  /** The mock Entra tenant the SP profile trusts. */
  tenantId: string;
  email: string;
}

/** The walk-through user every benchmark signs in as. */
export const BENCH_EMAIL = 'B.Simon@contoso.com';

/** The Entra Identifier of the seeded account CUK12A34 (region eu). */
export const BENCH_AUDIENCE = 'https://eu-api.mimecast.com/sso/CUK12A34';

/** Reads the tenant id out of an Entra issuer `https://sts.windows.net/<tenant>/`. */
export function readTenantIdFromIssuer(issuer: string): string {
  const match = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/.exec(issuer);
  if (!match?.[1]) throw new Error(`not an Entra issuer: ${issuer}`);
  return match[1];
}

/**
 * Returns a generator of base64 SAMLResponse values, signed by the mock Entra's key (idp-signing-1)
 * exactly as a default Entra app signs them (assertion only, RSA-SHA256), issued "now".
 */
export function createResponseFactory(target: ResponseTarget): (count: number) => string[] {
  const signing = readKeyPair('idp-signing-1');
  const issuer = buildEntraIssuer(target.tenantId);
  const localPart = target.email.split('@')[0] ?? target.email;
  return (count) => {
    const out: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = buildEntraResponse({
        tenantId: target.tenantId,
        issuer,
        destination: target.acsUrl,
        audience: target.audience,
        issueInstant: new Date(),
        ids: { responseId: randomIds.samlId(), assertionId: randomIds.samlId() },
        user: {
          userPrincipalName: target.email,
          mail: target.email,
          objectId: '8c1e6f4a-3b2d-4e5f-9a0b-1c2d3e4f5a6b',
          displayName: localPart,
        },
        signing: { key: signing.key, cert: signing.cert, option: 'assertion', algorithm: 'sha256' },
      }).base64;
    }
    return out;
  };
}
