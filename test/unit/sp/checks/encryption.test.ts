import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { encryptAssertion } from '../../../../src/core/idp/response-signing.js';
import { NS } from '../../../../src/core/saml/constants.js';
import { buildDefaultProfile } from '../../../../src/core/sp/accounts.js';
import {
  ACCEPT_ENCRYPTION,
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
import { buildSignedTestResponse, mutateResponseXml, toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, URLS, USER_EMAIL } from '../../../_helpers/sp-core.js';
import { idp1, idp2, spEncryption } from '../../../_helpers/test-keys.js';

describe('encryption check', () => {
  test('an unencrypted assertion skips the check', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'encryption', 'skip');
      assert.equal(outcome.trace.summary.encrypted, undefined);
    });
  });

  test('by default an encrypted assertion in the accepted shape is SP_ENCRYPTION_NOT_ENABLED: not decrypted, not given to node-saml', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ encryption: { cert: spEncryption.cert } }));
      assertRefusedBy(outcome, 'encryption', 'SP_ENCRYPTION_NOT_ENABLED');
      assertCheck(outcome, 'node-saml', 'skip');
      assert.equal(outcome.trace.summary.nameId, undefined, 'the assertion stayed unread');
    });
  });

  test('by default a decoy shape is still SP_ENCRYPTION_SHAPE, before the option is consulted', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond({ encryption: { cert: spEncryption.cert } }), (doc) => {
        const root = doc.documentElement as Element;
        root.appendChild(firstElement(doc, NS.saml, 'EncryptedAssertion').cloneNode(true));
      });
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test("an assertion encrypted to this SP's encryption certificate decrypts and signs in", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = t.respond({ encryption: { cert: spEncryption.cert } });
      assert.ok(Buffer.from(response, 'base64').toString('utf8').includes('EncryptedAssertion'));
      const outcome = await post(t, response);
      assertCheck(outcome, 'encryption', 'pass');
      assertCheck(outcome, 'signature', 'pass');
      assertCheck(outcome, 'single-assertion', 'pass');
      const session = assertSignedIn(outcome);
      assert.equal(session.email, USER_EMAIL);
      assert.equal(outcome.trace.summary.encrypted, true);
    });
  });

  test('AES-GCM and a signed response around the encrypted assertion also decrypt', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(
        t,
        t.respond({
          encryption: { cert: spEncryption.cert, blockCipher: 'aes256-gcm' },
          signing: signing({ option: 'response-and-assertion' }),
        }),
      );
      assertCheck(outcome, 'encryption', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('"Sign SAML response" with encryption: the Response signature over the ciphertext is verified as received', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(t, t.respond({ encryption: { cert: spEncryption.cert }, signing: signing({ option: 'response' }) }));
      assertCheck(outcome, 'encryption', 'pass');
      assertCheck(outcome, 'signature', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('an assertion encrypted to another key (idp2) is SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(t, t.respond({ encryption: { cert: idp2.cert } }));
      assertRefusedBy(outcome, 'encryption', 'SP_DECRYPTION_FAILED');
      assert.equal(outcome.trace.summary.encrypted, true);
    });
  });

  test('RSA PKCS#1 v1.5 key transport is refused as insecure: SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(t, t.respond({ encryption: { cert: spEncryption.cert, keyTransport: 'rsa-1_5' } }));
      assertRefusedBy(outcome, 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('an SP without an encryption key refuses an encrypted assertion: SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      t.ctx.keys = { ...t.ctx.keys, encryptionKey: '' };
      const outcome = await post(t, t.respond({ encryption: { cert: spEncryption.cert } }));
      assertRefusedBy(outcome, 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('damaged cipher text is SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond({ encryption: { cert: spEncryption.cert } }), (doc) => {
        const values = doc.getElementsByTagNameNS(NS.xenc, 'CipherValue');
        const data = values.item(values.length - 1) as Element;
        data.textContent = Buffer.from('not the cipher text at all, just bytes').toString('base64');
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('an encrypted unsigned assertion slipped in beside the signed one is SP_ASSERTION_COUNT', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const evil = decodeXml(
        t.respond({
          nameId: { value: 'admin@contoso.com' },
          signing: signing({ option: 'none' }),
          encryption: { cert: spEncryption.cert },
        }),
      );
      const response = tamper(t.respond(), (doc) => {
        const smuggled = firstElement(new DOMParser().parseFromString(evil, 'text/xml'), NS.saml, 'EncryptedAssertion');
        (doc.documentElement as Element).appendChild(doc.importNode(smuggled, true));
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_COUNT');
    });
  });

  test('a plaintext nested 20,000 deep is refused without a stack overflow: the outer message hides it from the first parse', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const built = buildSignedTestResponse({
        now: NOW,
        acsUrl: URLS.localAcsUrl,
        audience: URLS.entraIdentifier,
        email: USER_EMAIL,
        signing: signing({ option: 'none' }),
      });
      const deep = built.xml.replace('<AttributeStatement>', `<AttributeStatement>${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`);
      assert.notEqual(deep, built.xml);
      // Anyone holding the SP's public encryption certificate can send this; the builder needs raised limits to read it.
      const encrypted = encryptAssertion(deep, {
        assertionId: built.assertionId,
        cert: spEncryption.cert,
        xmlLimits: { maxDepth: 25_000, maxElements: 25_000, maxChildren: 25_000, maxTotalAttributes: 25_000 },
      });
      const outcome = await post(t, toBase64(encrypted));
      assertCheck(outcome, 'payload', 'pass');
      assertRefusedBy(outcome, 'encryption', 'SP_PAYLOAD_TOO_DEEP');
    });
  });
});

describe('encryption acceptance follows the account the assertion is for', () => {
  test('an encrypted assertion routed by its Response Issuer to an accepting account, but whose Audience names one that does not accept encryption, is refused', async () => {
    await withCore({ profile: { acceptEncryptedAssertions: false } }, async (t) => {
      // Another account that accepts encryption and trusts an issuer the attacker writes on the Response.
      await t.stores.accounts.create({
        code: 'CUK99Z99',
        region: 'eu',
        name: 'Other',
        domains: ['other.example'],
        createdAt: NOW.toISOString(),
      });
      await t.stores.profiles.put({
        ...buildDefaultProfile('CUK99Z99', NOW),
        issuerUrl: 'https://sts.windows.net/other/',
        idpCertificates: [idp1.cert],
        acceptEncryptedAssertions: true,
      });
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(
        mutateResponseXml(xml, (doc) => (firstElement(doc, NS.saml, 'Issuer').textContent = 'https://sts.windows.net/other/')),
      );
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_ENCRYPTION_NOT_ENABLED');
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
    });
  });
});

describe('encryption check: the decrypted assertion shares the message budget', () => {
  const groups = (prefix: string) =>
    Array.from({ length: 200 }, (_, i) => `${prefix}${String(i).padStart(6, '0')}-1111-4222-8333-444444444444`);
  const bigClaims = {
    extraClaims: [
      { name: 'http://schemas.example/g1', values: groups('aa') },
      { name: 'http://schemas.example/g2', values: groups('bb') },
    ],
  };

  test('a big assertion (about 450 elements) in a small Response decrypts and passes the encryption check', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const outcome = await post(t, t.respond({ ...bigClaims, encryption: { cert: spEncryption.cert } }));
      assertCheck(outcome, 'encryption', 'pass');
    });
  });

  test('the same assertion in a Response padded with 100 elements is SP_PAYLOAD_TOO_WIDE: the two are one message', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond({ ...bigClaims, encryption: { cert: spEncryption.cert } }), (doc) => {
        const pad = doc.createElementNS('urn:pad', 'p:pad');
        for (let i = 0; i < 100; i += 1) pad.appendChild(doc.createElementNS('urn:pad', 'p:x'));
        (doc.documentElement as Element).appendChild(pad);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_PAYLOAD_TOO_WIDE');
      assertCheck(outcome, 'node-saml', 'skip');
    });
  });
});
