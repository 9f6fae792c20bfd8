import { describe, test } from 'node:test';
import { signElementById } from '../../../../src/core/idp/response-signing.js';
import { ALGORITHM } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, decodeXml, post, signing, withCore } from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import { idp1 } from '../../../_helpers/test-keys.js';

describe('signature-algorithm check', () => {
  test('RSA-SHA256 with SHA-256 digests passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'signature-algorithm', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('SHA-1 is a warning (SP_SIGNATURE_SHA1) and the sign-in succeeds', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ algorithm: 'sha1' }) }));
      assertCheck(outcome, 'signature-algorithm', 'warn', 'SP_SIGNATURE_SHA1');
      assertCheck(outcome, 'signature', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('SHA-1 with refuseSha1 is SP_SIGNATURE_SHA1_REFUSED', async () => {
    await withCore({ settings: { refuseSha1: true } }, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ algorithm: 'sha1' }) }));
      assertRefusedBy(outcome, 'signature-algorithm', 'SP_SIGNATURE_SHA1_REFUSED');
    });
  });

  test('SHA-256 is still accepted with refuseSha1', async () => {
    await withCore({ settings: { refuseSha1: true } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'signature-algorithm', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('a SHA-1 digest under an RSA-SHA256 signature is refused with refuseSha1', async () => {
    await withCore({ settings: { refuseSha1: true } }, async (t) => {
      const xml = decodeXml(t.respond({ signing: signing({ option: 'none' }) }));
      const id = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1] as string;
      const signed = signElementById(xml, {
        elementId: id,
        elementLocalName: 'Assertion',
        key: idp1.key,
        cert: idp1.cert,
        signatureAlgorithm: ALGORITHM.rsaSha256,
        digestAlgorithm: ALGORITHM.sha1,
      });
      const outcome = await post(t, toBase64(signed));
      assertRefusedBy(outcome, 'signature-algorithm', 'SP_SIGNATURE_SHA1_REFUSED');
    });
  });

  test('SHA-1 on the Response signature is reported even when the assertion uses SHA-256', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond());
      const id = /<samlp:Response [^>]*ID="([^"]+)"/.exec(xml)?.[1] as string;
      const signed = signElementById(xml, {
        elementId: id,
        elementLocalName: 'Response',
        key: idp1.key,
        cert: idp1.cert,
        signatureAlgorithm: ALGORITHM.rsaSha1,
        digestAlgorithm: ALGORITHM.sha1,
      });
      const outcome = await post(t, toBase64(signed));
      assertCheck(outcome, 'signature-algorithm', 'warn', 'SP_SIGNATURE_SHA1');
      assertSignedIn(outcome);
    });
  });

  test('an unsigned response skips the check (the signature check fails instead)', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ option: 'none' }) }));
      assertCheck(outcome, 'signature-algorithm', 'skip');
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_MISSING');
    });
  });
});
