import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NS } from '../../src/core/saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely } from '../../src/core/saml/xml.js';
import type { Harness } from '../../src/runtime/harness.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import { startTestHarness } from '../../src/testing/harness.js';

const OPTIONS = [
  { signingOption: 'assertion', signed: ['Assertion'] },
  { signingOption: 'response', signed: ['Response'] },
  { signingOption: 'response-and-assertion', signed: ['Response', 'Assertion'] },
] as const;
const ALGORITHMS = ['sha256', 'sha1'] as const;

/** Entra's three Signing Options and two Signing Algorithms, set through the mock Entra's API. */
describe('every Entra signing option and algorithm signs in SP-initiated', () => {
  let h: Harness;
  let appApi: string;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  before(async () => {
    h = await startTestHarness();
    assert.ok(h.walkthrough.idp);
    appApi = `${h.idpUrl}/api/tenants/${h.walkthrough.idp.tenantId}/apps/${h.walkthrough.idp.appId}`;
  });
  after(() => h.close());

  /** Which elements carry a ds:Signature as a direct child, outermost first. */
  function readSignedElements(xml: string): string[] {
    const root = parseXmlSafely(xml).documentElement;
    const assertion = firstChildElement(root, NS.saml, 'Assertion');
    return [
      ...(childElements(root, NS.ds, 'Signature').length ? ['Response'] : []),
      ...(assertion && childElements(assertion, NS.ds, 'Signature').length ? ['Assertion'] : []),
    ];
  }

  for (const { signingOption, signed } of OPTIONS) {
    for (const signingAlgorithm of ALGORITHMS) {
      test(`${signingOption} / ${signingAlgorithm}`, async () => {
        const patch = await fetch(appApi, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signingOption, signingAlgorithm }) });
        assert.equal(patch.status, 200);
        await patch.arrayBuffer();
        const result = await signInSpInitiated(h, creds);
        assert.equal(result.ok, true, `ended at ${result.page.url}: ${result.trace?.summary.firstFailure}`);
        assert.ok(result.trace?.xml);
        assert.deepEqual(readSignedElements(result.trace.xml), signed);
        const signature = result.trace.checks.find((c) => c.id === 'signature');
        assert.equal(signature?.status, 'pass');
        // The report's "received" names the signed elements: "<response and assertion> signed, verified by <thumbprint>".
        assert.deepEqual(signature?.received?.split(' signed, ')[0]?.split(' and '), signed.map((s) => s.toLowerCase()));
        const algorithm = result.trace.checks.find((c) => c.id === 'signature-algorithm');
        if (signingAlgorithm === 'sha1') {
          assert.equal(algorithm?.status, 'warn');
          assert.equal(algorithm?.code, 'SP_SIGNATURE_SHA1');
        } else {
          assert.equal(algorithm?.status, 'pass');
        }
      });
    }
  }
});
