/**
 * Attacks on how the ACS reads a message: bytes, namespaces, look-alike URLs and races, by someone
 * who holds one genuine signed response for B.Simon and can post anything. Each must be refused by
 * the check and code that name the fault.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, decodeXml, post, tamper, withCore } from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore, URLS } from '../../../_helpers/sp-core.js';

const ADMIN = 'kate@contoso.com';
const GENUINE_NAME_ID = '>B.Simon@contoso.com</NameID>';

async function addAdmin(t: TestSpCore): Promise<void> {
  await t.stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: ADMIN,
      globalName: 'Kate',
      forceChangeAtLogin: false,
      roles: ['Super Administrator'],
      createdAt: NOW.toISOString(),
    },
    null,
  );
}

async function addPending(t: TestSpCore, id: string): Promise<void> {
  await t.stores.pending.add({
    id,
    accountCode: ACCOUNT.code,
    createdAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
    relayState: null,
    requestedAuthnContexts: [],
  });
}

describe('red team: bytes and declarations', () => {
  test('a prefix bound to no namespace on ds:Signature is SP_PAYLOAD_MALFORMED_XML', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond())
        .replace('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">', '<ds:Signature>')
        .replace('</Signature>', '</ds:Signature>');
      assertRefusedBy(await post(t, toBase64(xml)), 'payload', 'SP_PAYLOAD_MALFORMED_XML');
    });
  });

  test('35,000 empty comments (node-saml spent over half a second on them) are SP_PAYLOAD_TOO_WIDE', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond()).replace('<samlp:Status>', `${'<!---->'.repeat(35_000)}<samlp:Status>`);
      assertRefusedBy(await post(t, toBase64(xml)), 'payload', 'SP_PAYLOAD_TOO_WIDE');
    });
  });

  test('the message as UTF-16 with its byte order mark is SP_PAYLOAD_NOT_UTF8', async () => {
    await withCore({}, async (t) => {
      const xml = `<?xml version="1.0" encoding="UTF-16"?>${decodeXml(t.respond())}`;
      const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
      assertRefusedBy(await post(t, bytes.toString('base64')), 'payload', 'SP_PAYLOAD_NOT_UTF8');
    });
  });

  test('a UTF-8 BOM and an encoding="UTF-16" declaration that lies change nothing: a changed NameID is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const xml = decodeXml(t.respond()).replace(GENUINE_NAME_ID, `>${ADMIN}</NameID>`);
      const outcome = await post(t, toBase64(`\uFEFF<?xml version="1.0" encoding="UTF-16"?>${xml}`));
      assertCheck(outcome, 'payload', 'pass');
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test('a second Response root after the genuine one (two readers, two documents) is SP_PAYLOAD_MALFORMED_XML', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const genuine = decodeXml(t.respond());
      const forged = genuine.replace(GENUINE_NAME_ID, `>${ADMIN}</NameID>`);
      assertRefusedBy(await post(t, toBase64(`${genuine}${forged}`)), 'payload', 'SP_PAYLOAD_MALFORMED_XML');
    });
  });
});

describe('red team: namespaces', () => {
  test('xmlns="" on the Assertion (it reads as no saml:Assertion; its signature as stray) is SP_ASSERTION_MISSING', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond()).replace(`xmlns="${NS.saml}"><Issuer>https`, 'xmlns=""><Issuer>https');
      assert.ok(xml.includes('xmlns=""'));
      const outcome = await post(t, toBase64(xml));
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_MISSING');
      assertCheck(outcome, 'signature', 'fail', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('the saml prefix redeclared on a wrapper around an admin Subject is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const xml = decodeXml(t.respond()).replace(
        '<Subject>',
        `<saml:Subject xmlns:saml="${NS.saml}"><saml:NameID>${ADMIN}</saml:NameID></saml:Subject><Subject xmlns="urn:example:shadow">`,
      );
      const outcome = await post(t, toBase64(xml));
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'node-saml', 'fail', 'SP_NODE_SAML_REJECTED');
    });
  });
});

describe('red team: look-alike addresses of this SP', () => {
  for (const [name, destination] of [
    ['a trailing slash', `${URLS.localAcsUrl}/`],
    ['a look-alike host', URLS.localAcsUrl.replace('sp.test', 'sp.test.evil.example')],
    ['an upper-case path', URLS.localAcsUrl.replace('/login/saml', '/LOGIN/saml')],
    ['200,000 characters', `${URLS.localAcsUrl}?${'a'.repeat(200_000)}`],
  ] as const) {
    test(`a Response Destination with ${name} is SP_DESTINATION_MISMATCH`, async () => {
      await withCore({}, async (t) => {
        const response = tamper(t.respond(), (doc) => (doc.documentElement as Element).setAttribute('Destination', destination));
        const check = assertRefusedBy(await post(t, response), 'destination', 'SP_DESTINATION_MISMATCH');
        assert.ok((check.received?.length ?? 0) < 2100, 'the report keeps a bounded value');
      });
    });
  }

  test('an assertion the IdP signed for a look-alike Recipient is SP_RECIPIENT_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ recipient: `${URLS.localAcsUrl}/` }));
      assertRefusedBy(outcome, 'recipient', 'SP_RECIPIENT_MISMATCH');
    });
  });

  test('an assertion the IdP signed for this Identifier with a trailing slash is SP_AUDIENCE_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: `${URLS.entraIdentifier}/` }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });
});

describe('red team: races', () => {
  test('one SP-initiated response posted twice at once signs in once; the other is SP_IN_RESPONSE_TO_UNKNOWN', async () => {
    await withCore({}, async (t) => {
      await addPending(t, '_race1');
      const response = t.respond({ inResponseTo: '_race1' });
      const outcomes = await Promise.all([post(t, response), post(t, response)]);
      assert.equal(outcomes.filter((o) => o.ok).length, 1);
      const loser = outcomes.find((o) => !o.ok);
      assert.ok(loser);
      assertRefusedBy(loser, 'in-response-to', 'SP_IN_RESPONSE_TO_UNKNOWN');
    });
  });

  test('one IdP-initiated response posted twice at once signs in once; the other is SP_REPLAY', async () => {
    await withCore({}, async (t) => {
      const response = t.respond();
      const outcomes = await Promise.all([post(t, response), post(t, response), post(t, response)]);
      assert.equal(outcomes.filter((o) => o.ok).length, 1);
      for (const loser of outcomes.filter((o) => !o.ok)) assertRefusedBy(loser, 'replay', 'SP_REPLAY');
    });
  });

  test('the same assertion answering a second request is SP_IN_RESPONSE_TO_INCONSISTENT, and that request survives', async () => {
    await withCore({}, async (t) => {
      await addPending(t, '_first');
      await addPending(t, '_second');
      const response = tamper(t.respond({ inResponseTo: '_first' }), (doc) =>
        (doc.documentElement as Element).setAttribute('InResponseTo', '_second'),
      );
      assertRefusedBy(await post(t, response), 'in-response-to', 'SP_IN_RESPONSE_TO_INCONSISTENT');
      assert.ok(await t.stores.pending.get('_second'));
      assert.ok(await t.stores.pending.get('_first'));
    });
  });
});
