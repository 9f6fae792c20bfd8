import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { createNodeSamlGate, type NodeSamlGateInput } from '../../../src/core/sp/node-saml-gate.js';
import { decodeXml, withCore } from '../../_helpers/check-assert.js';
import { URLS, USER_EMAIL } from '../../_helpers/sp-core.js';
import { idp1, idp2 } from '../../_helpers/test-keys.js';

const GATE: Omit<NodeSamlGateInput, 'samlResponse'> = {
  certificates: [idp1.cert],
  audience: URLS.entraIdentifier,
  acsUrl: URLS.localAcsUrl,
  skewMs: 180_000,
  clockFrozen: true,
  decryptionKey: null,
};

describe('node-saml gate', () => {
  test('the node-saml release whose internals the gate reaches is the one pinned here', () => {
    // The gate replaces one instance method, getKeyInfosAsPem, to hand xml-crypto parsed keys. A new
    // node-saml release must be read before this pin moves: does it still call that method once per
    // validation, and pass what it returns to xml-crypto's publicCert?
    const version = (createRequire(import.meta.url)('@node-saml/node-saml/package.json') as { version: string }).version;
    assert.equal(version, '5.1.0');
    // package.json pins the same release exactly, so an install never brings one this test has not read.
    const manifest = createRequire(import.meta.url)('../../../package.json') as { dependencies: Record<string, string> };
    assert.equal(manifest.dependencies['@node-saml/node-saml'], version);
    assert.equal(typeof (SAML.prototype as unknown as { getKeyInfosAsPem?: unknown }).getKeyInfosAsPem, 'function');
  });

  test('certificates as PEM or bare base64, one of several: the signing one verifies, a stranger or junk does not', async () => {
    await withCore({}, async (t) => {
      const gate = createNodeSamlGate();
      const samlResponse = t.respond();
      const bare = idp1.cert.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      for (const certificates of [[idp1.cert], [bare], [idp2.cert, idp1.cert]]) {
        assert.equal(
          (await gate.validate({ ...GATE, certificates, samlResponse })).accepted,
          true,
          `trusted: ${certificates.length} certificate(s)`,
        );
      }
      assert.equal((await gate.validate({ ...GATE, certificates: [idp2.cert], samlResponse })).accepted, false);
      assert.equal((await gate.validate({ ...GATE, certificates: ['not a certificate'], samlResponse })).accepted, false);
      gate.close();
    });
  });

  test('an accepted response reports the assertion ID and NameID node-saml read, for the SP to compare', async () => {
    await withCore({}, async (t) => {
      const samlResponse = t.respond();
      const assertionId = /<Assertion [^>]*ID="([^"]+)"/.exec(decodeXml(samlResponse))?.[1];
      const verdict = await createNodeSamlGate().validate({ ...GATE, samlResponse });
      assert.equal(verdict.accepted, true);
      assert.deepEqual(verdict.consumed, { nameId: USER_EMAIL, assertionId });
    });
  });

  test('two gates share nothing: closing one leaves the other working', async () => {
    await withCore({}, async (t) => {
      const first = createNodeSamlGate();
      const second = createNodeSamlGate();
      assert.equal((await first.validate({ ...GATE, samlResponse: t.respond() })).accepted, true);
      first.close();
      assert.equal((await second.validate({ ...GATE, samlResponse: t.respond() })).accepted, true);
      assert.equal(
        (await first.validate({ ...GATE, samlResponse: t.respond() })).accepted,
        true,
        'a closed gate builds its instances again',
      );
    });
  });

  test('a refusal carries node-saml’s reason and no consumed identity', async () => {
    await withCore({}, async (t) => {
      const verdict = await createNodeSamlGate().validate({ ...GATE, certificates: [idp2.cert], samlResponse: t.respond() });
      assert.equal(verdict.accepted, false);
      assert.equal(verdict.consumed, null);
      assert.ok(verdict.error);
    });
  });
});
