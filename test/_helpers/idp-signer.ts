/**
 * Entra-shaped responses for SP tests: one call gives a response signed as a default Entra app
 * signs it, and every field can be overridden to build the broken and hostile variants.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { type BuiltResponse, buildEntraResponse, type EntraResponseInput } from '../../src/core/idp/response-builder.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { idp1 } from './test-keys.js';

/** The tenant every helper-built response comes from. */
export const TEST_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The objectidentifier of the helper's default user. */
export const TEST_OBJECT_ID = '8c1e6f4a-3b2d-4e5f-9a0b-1c2d3e4f5a6b';

// Ids must differ between calls so replay checks see distinct responses; GUID-shaped like Entra's.
const ids = createSequentialIds('00000000-0000-4000-8000');

export type TestResponseOverrides = Partial<EntraResponseInput> & {
  now: Date;
  acsUrl: string;
  audience: string;
  email: string;
};

/**
 * Builds a response as a default Entra app would send it for `email`: assertion signed with idp1
 * (SHA-256), IdP-initiated unless `inResponseTo` is given. `user` and `signing` overrides are merged
 * over the defaults; every other field replaces its default.
 */
export function buildSignedTestResponse(overrides: TestResponseOverrides): BuiltResponse {
  const { now, acsUrl, email, user, signing, ...rest } = overrides;
  const localPart = email.split('@')[0] ?? email;
  return buildEntraResponse({
    tenantId: TEST_TENANT_ID,
    destination: acsUrl,
    issueInstant: now,
    ids: { responseId: ids.samlId(), assertionId: ids.samlId() },
    ...rest,
    user: { userPrincipalName: email, mail: email, objectId: TEST_OBJECT_ID, displayName: localPart, ...user },
    signing: { key: idp1.key, cert: idp1.cert, option: 'assertion', algorithm: 'sha256', ...signing },
  });
}

/** Parses, lets `fn` change the document, serializes: for tampering after signing. */
export function mutateResponseXml(xml: string, fn: (doc: Document) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  fn(doc);
  return new XMLSerializer().serializeToString(doc);
}

/** The SAMLResponse form value for an XML string (HTTP-POST binding). */
export function toBase64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
