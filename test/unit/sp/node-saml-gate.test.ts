import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';
import { parseHandOffs, runNodeSamlGate, type NodeSamlGateOptions } from '../../../src/core/sp/node-saml-gate.js';
import { assertCheck, assertSignedIn, decodeXml, post, tamper, firstElement, withCore } from '../../_helpers/check-assert.js';
import { toBase64 } from '../../_helpers/idp-signer.js';
import { URLS } from '../../_helpers/sp-core.js';
import { idp1, idp2, spEncryption } from '../../_helpers/test-keys.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

const GATE: NodeSamlGateOptions = {
  certificates: [idp1.cert],
  audience: URLS.entraIdentifier,
  acsUrl: URLS.localAcsUrl,
  skewMs: 180_000,
  clockFrozen: true,
  decryptionKey: null,
};

function counts(): { offered: number; taken: number } {
  return { offered: parseHandOffs.offered, taken: parseHandOffs.taken };
}

describe('node-saml gate: the profile keys', () => {
  test('certificates as PEM or bare base64, one of several: the signing one verifies, a stranger does not', async () => {
    await withCore({}, async (t) => {
      const bare = idp1.cert.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      for (const certificates of [[idp1.cert], [bare], [idp2.cert, idp1.cert]]) {
        assert.equal((await runNodeSamlGate(t.respond(), { ...GATE, certificates })).accepted, true, `trusted: ${certificates.length} certificate(s)`);
      }
      assert.equal((await runNodeSamlGate(t.respond(), { ...GATE, certificates: [idp2.cert] })).accepted, false);
      assert.equal((await runNodeSamlGate(t.respond(), { ...GATE, certificates: ['not a certificate'] })).accepted, false);
    });
  });
});

describe('node-saml gate: one parse per response', () => {
  test('the ACS hands its parsed document to node-saml, which takes it instead of parsing again', async () => {
    await withCore({}, async (t) => {
      const before = counts();
      const outcome = await post(t, t.respond());
      assertSignedIn(outcome);
      assertCheck(outcome, 'node-saml', 'pass');
      assert.deepEqual(counts(), { offered: before.offered + 1, taken: before.taken + 1 });
    });
  });

  test('an encrypted response is not handed over: decryption has rewritten the tree', async () => {
    await withCore({}, async (t) => {
      const before = counts();
      assertSignedIn(await post(t, t.respond({ encryption: { cert: spEncryption.cert } })));
      assert.deepEqual(counts(), before);
    });
  });

  test('a response that starts with a byte order mark is not handed over: the parsed text differs', async () => {
    await withCore({}, async (t) => {
      const before = counts();
      await post(t, toBase64(`\uFEFF${decodeXml(t.respond())}`));
      assert.deepEqual(counts(), before);
    });
  });

  test('a hand-off is taken only for the identical text, so another message is judged on its own parse', async () => {
    await withCore({}, async (t) => {
      const valid = decodeXml(t.respond());
      const handOff = { xml: valid, doc: parseXmlSafely(valid) };
      // The message validated is a tampered copy; the valid tree offered beside it must not be used.
      const forged = tamper(t.respond(), (doc) => {
        firstElement(doc, SAML, 'NameID').textContent = 'admin@contoso.com';
      });
      const before = counts();
      const verdict = await runNodeSamlGate(forged, GATE, handOff);
      assert.equal(verdict.accepted, false);
      assert.deepEqual(counts(), { offered: before.offered + 1, taken: before.taken });
    });
  });

  test('a hand-off does not outlive its call: the next validation parses for itself', async () => {
    await withCore({}, async (t) => {
      const first = t.respond();
      const firstXml = decodeXml(first);
      const before = counts();
      assert.equal((await runNodeSamlGate(t.respond(), GATE, { xml: firstXml, doc: parseXmlSafely(firstXml) })).accepted, true);
      // The same text again without an offer: it must not find the earlier tree waiting.
      assert.equal((await runNodeSamlGate(first, GATE)).accepted, true);
      assert.deepEqual(counts(), { offered: before.offered + 1, taken: before.taken });
    });
  });
});
