import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signElementById } from '../../../../src/core/idp/response-signing.js';
import { describeCertificate, generateTestCertificate } from '../../../../src/core/saml/certs.js';
import { ALGORITHM, NS } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefusedBy,
  assertSignedIn,
  decodeXml,
  firstElement,
  post,
  signing,
  tamper,
  withCore,
} from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { idp1, idp2 } from '../../../_helpers/test-keys.js';

const ADMIN = 'admin@contoso.com';

async function addAdmin(t: TestSpCore): Promise<void> {
  await t.stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: ADMIN,
      globalName: 'Admin',
      forceChangeAtLogin: false,
      roles: ['Super Administrator'],
      createdAt: NOW.toISOString(),
    },
    null,
  );
}

/** Signs the (unsigned) assertion of a response with any key, putting `cert` (or nothing) in KeyInfo. */
function signAssertionWith(samlResponse: string, key: string, cert: string | null): string {
  const xml = decodeXml(samlResponse);
  const id = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1];
  assert.ok(id);
  return toBase64(
    signElementById(xml, {
      elementId: id,
      elementLocalName: 'Assertion',
      key,
      cert,
      signatureAlgorithm: ALGORITHM.rsaSha256,
      digestAlgorithm: ALGORITHM.sha256,
    }),
  );
}

describe('signature check', () => {
  test('an assertion signed by the trusted certificate passes, and the result names its thumbprint', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      const check = assertCheck(outcome, 'signature', 'pass');
      assert.ok(check.received?.includes(describeCertificate(idp1.cert).thumbprint));
      assertSignedIn(outcome);
    });
  });

  for (const option of ['response', 'response-and-assertion'] as const) {
    test(`Entra's "${option}" signing option passes`, async () => {
      await withCore({}, async (t) => {
        const outcome = await post(t, t.respond({ signing: signing({ option }) }));
        assertCheck(outcome, 'signature', 'pass');
        assertSignedIn(outcome);
      });
    });
  }

  test('an unsigned response is SP_SIGNATURE_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ option: 'none' }) }));
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_MISSING');
    });
  });

  test('a NameID changed after signing (to another real user) fails the Assertion signature digest', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => (firstElement(doc, NS.saml, 'NameID').textContent = ADMIN));
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'signature', 'fail', 'SP_SIGNATURE_DIGEST_MISMATCH');
      // The forged user exists: only the signature stands between the attacker and an admin session.
      assertCheck(outcome, 'directory-user', 'pass');
    });
  });

  test('an Audience changed after signing fails the Assertion signature digest', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond({ audience: 'https://eu-api.mimecast.com/sso/COTHER01' }), (doc) => {
        firstElement(doc, NS.saml, 'Audience').textContent = 'https://eu-api.mimecast.com/sso/CUK12A34';
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test('an attribute value changed after signing fails the Assertion signature digest', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => (firstElement(doc, NS.saml, 'AttributeValue').textContent = 'other-tenant'));
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test('signed by idp2 while the profile trusts only idp1 is SP_SIGNATURE_UNTRUSTED_CERT', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ key: idp2.key, cert: idp2.cert }) }));
      const check = assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNTRUSTED_CERT');
      assert.ok(check.received?.includes(describeCertificate(idp2.cert).thumbprint));
    });
  });

  test('a profile trusting [idp2, idp1] accepts idp1 and names idp1 as the verifying certificate', async () => {
    await withCore({ profile: { idpCertificates: [idp2.cert, idp1.cert] } }, async (t) => {
      const outcome = await post(t, t.respond());
      const check = assertCheck(outcome, 'signature', 'pass');
      assert.ok(check.received?.includes(describeCertificate(idp1.cert).thumbprint));
      assert.ok(!check.received?.includes(describeCertificate(idp2.cert).thumbprint));
      assertSignedIn(outcome);
    });
  });

  test('a forged assertion re-signed with a self-signed key carried in KeyInfo is refused (certificate faking)', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const attacker = await generateTestCertificate({
        commonName: 'accounts.accesscontrol.windows.net',
        days: 365,
        notBefore: new Date(NOW.getTime() - 86_400_000),
      });
      const forged = signAssertionWith(
        t.respond({ nameId: { value: ADMIN }, signing: signing({ option: 'none' }) }),
        attacker.keyPem,
        attacker.certPem,
      );
      const outcome = await post(t, forged);
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNTRUSTED_CERT');
      assertCheck(outcome, 'node-saml', 'fail', 'SP_NODE_SAML_REJECTED');
    });
  });

  test('a forged signature that names the trusted idp1 certificate in KeyInfo is SP_SIGNATURE_VALUE_INVALID', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const forged = signAssertionWith(t.respond({ nameId: { value: ADMIN }, signing: signing({ option: 'none' }) }), idp2.key, idp1.cert);
      const outcome = await post(t, forged);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_VALUE_INVALID');
    });
  });

  test('a signature by idp1 without any KeyInfo verifies with the profile certificate', async () => {
    await withCore({}, async (t) => {
      const response = signAssertionWith(t.respond({ signing: signing({ option: 'none' }) }), idp1.key, null);
      const outcome = await post(t, response);
      assertCheck(outcome, 'signature', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('a SignatureValue replaced with garbage is SP_SIGNATURE_VALUE_INVALID', async () => {
    await withCore({}, async (t) => {
      const response = tamper(
        t.respond(),
        (doc) => (firstElement(doc, NS.ds, 'SignatureValue').textContent = Buffer.alloc(256, 7).toString('base64')),
      );
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_VALUE_INVALID');
    });
  });
});
