import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS } from '../../src/core/saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely } from '../../src/core/saml/xml.js';
import type { Trace } from '../../src/core/sp/traces.js';
import { readSpKeys } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

type Signed = 'Response' | 'Assertion';
const OPTIONS: readonly { signingOption: 'assertion' | 'response' | 'response-and-assertion'; signed: readonly Signed[] }[] = [
  { signingOption: 'assertion', signed: ['Assertion'] },
  { signingOption: 'response', signed: ['Response'] },
  { signingOption: 'response-and-assertion', signed: ['Response', 'Assertion'] },
];

/** Token encryption off and on at Entra's default SHA-256, and SHA-1 without encryption. */
const VARIANTS = [
  { signingAlgorithm: 'sha256', encrypted: false },
  { signingAlgorithm: 'sha256', encrypted: true },
  { signingAlgorithm: 'sha1', encrypted: false },
] as const;

/** Which elements of the message as received carry a ds:Signature as a direct child, outermost first. */
function readSignedElements(xml: string): string[] {
  const root = parseXmlSafely(xml).documentElement;
  const assertion = firstChildElement(root, NS.saml, 'Assertion');
  return [
    ...(childElements(root, NS.ds, 'Signature').length ? ['Response'] : []),
    ...(assertion && childElements(assertion, NS.ds, 'Signature').length ? ['Assertion'] : []),
  ];
}

function statusOf(trace: Trace, id: string): string | undefined {
  return trace.checks.find((c) => c.id === id)?.status;
}

/**
 * Entra's three Signing Options, each with Token encryption off and on and with both Signing
 * Algorithms, set through the mock Entra's API, then a real SP-initiated sign-in over HTTP. Each
 * combination gets its own SP and mock Entra, closed when the test ends.
 */
describe('every Entra signing option, with token encryption off and on, signs in SP-initiated', () => {
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  for (const { signingOption, signed } of OPTIONS) {
    for (const { signingAlgorithm, encrypted } of VARIANTS) {
      test(`${signingOption} / ${signingAlgorithm} / token encryption ${encrypted ? 'on' : 'off'}`, async () => {
        const h = await startTestHarness();
        try {
          assert.ok(h.walkthrough.idp);
          const appApi = `${h.idpUrl}/api/tenants/${h.walkthrough.idp.tenantId}/apps/${h.walkthrough.idp.appId}`;
          const settings = { signingOption, signingAlgorithm, tokenEncryptionCertificate: encrypted ? readSpKeys().encryptionCert : null };
          const patch = await fetch(appApi, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(settings),
          });
          assert.equal(patch.status, 200);
          await patch.arrayBuffer();
          // Mimecast documents no token encryption; the mock's profile option lets it decrypt.
          const profile = await h.sp.stores.profiles.get(SEED.accountCode);
          assert.ok(profile);
          await h.sp.stores.profiles.put({ ...profile, acceptEncryptedAssertions: encrypted });

          const result = await signInSpInitiated(h, creds);
          assert.equal(result.ok, true, `ended at ${result.page.url}: ${result.trace?.summary.firstFailure}`);
          const trace = result.trace;
          assert.ok(trace?.xml);

          // Each signature present is verified by the SP itself; an absent one is a skip, never a pass.
          assert.equal(statusOf(trace, 'response-signature'), signed.includes('Response') ? 'pass' : 'skip');
          assert.equal(statusOf(trace, 'assertion-signature'), signed.includes('Assertion') ? 'pass' : 'skip');
          assert.equal(statusOf(trace, 'signature'), 'pass');
          assert.equal(statusOf(trace, 'encryption'), encrypted ? 'pass' : 'skip');
          assert.equal(statusOf(trace, 'node-saml'), 'pass');
          assert.deepEqual(
            trace.checks.filter((c) => c.status === 'fail'),
            [],
          );

          // The message as received: the assertion in the clear or as one EncryptedAssertion.
          const root = parseXmlSafely(trace.xml).documentElement as Element;
          assert.equal(childElements(root, NS.saml, 'EncryptedAssertion').length, encrypted ? 1 : 0);
          assert.equal(childElements(root, NS.saml, 'Assertion').length, encrypted ? 0 : 1);
          assert.equal(trace.summary.encrypted, encrypted ? true : undefined);
          const visible = encrypted ? signed.filter((s) => s === 'Response') : signed;
          assert.deepEqual(readSignedElements(trace.xml), visible);

          // The report's "received" names what the SP verified: "response verified by <thumbprint>, assertion verified by …".
          const signature = trace.checks.find((c) => c.id === 'signature');
          assert.deepEqual(
            signature?.received?.split(', ').map((part) => part.split(' verified by ')[0]),
            signed.map((s) => s.toLowerCase()),
          );
          const algorithm = trace.checks.find((c) => c.id === 'signature-algorithm');
          if (signingAlgorithm === 'sha1') {
            assert.equal(algorithm?.status, 'warn');
            assert.equal(algorithm?.code, 'SP_SIGNATURE_SHA1');
          } else {
            assert.equal(algorithm?.status, 'pass');
          }
        } finally {
          await h.close();
        }
      });
    }
  }
});
