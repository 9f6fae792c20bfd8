/**
 * More forgery and hostile-input cases: someone who holds one genuine signed response for B.Simon
 * (or nothing at all) tries to sign in as the administrator, or to tie up the ACS. Every case must
 * be refused by the check and code that name the fault, and quickly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encryptAssertion } from '../../../../src/core/idp/response-signing.js';
import { NS } from '../../../../src/core/saml/constants.js';
import { parseXmlSafely } from '../../../../src/core/saml/xml.js';
import { describeCheck, MAX_DETAIL_CHARS } from '../../../../src/core/sp/checks/check-context.js';
import {
  ACCEPT_ENCRYPTION,
  assertCheck,
  assertRefused,
  assertRefusedBy,
  assertSignedIn,
  decodeXml,
  firstElement,
  post,
  signing,
  tamper,
  withCore,
} from '../../../_helpers/check-assert.js';
import { mutateResponseXml, toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore, USER_EMAIL } from '../../../_helpers/sp-core.js';
import { spEncryption } from '../../../_helpers/test-keys.js';

const VICTIM = 'admin@contoso.com';

async function addVictim(t: TestSpCore): Promise<void> {
  await t.stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: VICTIM,
      globalName: 'Admin',
      forceChangeAtLogin: false,
      roles: ['Super Administrator'],
      createdAt: NOW.toISOString(),
    },
    null,
  );
}

function assertionIdOf(xml: string): string {
  const id = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1];
  assert.ok(id);
  return id;
}

/** An unsigned assertion for the victim, as an element of `doc`. */
function victimAssertion(t: TestSpCore, doc: Document): Element {
  const xml = decodeXml(t.respond({ nameId: { value: VICTIM }, signing: signing({ option: 'none' }) }));
  return doc.importNode(firstElement(parseXmlSafely(xml), NS.saml, 'Assertion'), true) as Element;
}

/** Appends a ds:Object holding `content` to the Response's own Signature (the enveloped transform removes it from the digest). */
function hideInResponseSignature(doc: Document, content: Element): void {
  const root = doc.documentElement as Element;
  const signature = Array.from(root.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Signature');
  assert.ok(signature, 'the Response carries no Signature');
  const object = doc.createElementNS(NS.ds, 'Object');
  object.appendChild(content);
  signature.appendChild(object);
}

describe('forgery: content the enveloped transform hides from the Response digest', () => {
  test("an admin assertion hidden in a signed Response's own Signature/Object is SP_ASSERTION_COUNT", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const response = tamper(t.respond({ signing: signing({ option: 'response' }) }), (doc) =>
        hideInResponseSignature(doc, victimAssertion(t, doc)),
      );
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_COUNT');
      // The Response signature itself still holds: the hidden content is outside its digest.
      assertCheck(outcome, 'response-signature', 'pass');
    });
  });

  test("an EncryptedAssertion for the admin hidden in a signed Response's Signature/Object is SP_ENCRYPTION_SHAPE", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const plain = decodeXml(t.respond({ nameId: { value: VICTIM }, signing: signing({ option: 'none' }) }));
      const encrypted = firstElement(
        parseXmlSafely(encryptAssertion(plain, { assertionId: assertionIdOf(plain), cert: spEncryption.cert })),
        NS.saml,
        'EncryptedAssertion',
      );
      const response = tamper(t.respond({ signing: signing({ option: 'response' }), encryption: { cert: spEncryption.cert } }), (doc) =>
        hideInResponseSignature(doc, doc.importNode(encrypted, true) as Element),
      );
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_ENCRYPTION_SHAPE');
      assertCheck(outcome, 'node-saml', 'skip');
    });
  });
});

describe('forgery: the NameID the SP reads is the one signed', () => {
  test('an admin NameID inserted before the genuine one (first-child readers take it) is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const response = tamper(t.respond(), (doc) => {
        const genuine = firstElement(doc, NS.saml, 'NameID');
        const evil = genuine.cloneNode(true) as Element;
        evil.textContent = VICTIM;
        genuine.parentNode?.insertBefore(evil, genuine);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'node-saml', 'fail', 'SP_NODE_SAML_REJECTED');
    });
  });

  test('a NameID moved into a foreign default namespace, with an admin saml:NameID beside it, is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const xml = decodeXml(t.respond()).replace(
        /<NameID ([^>]*)>B\.Simon@contoso\.com<\/NameID>/,
        `<NameID xmlns="urn:example:shadow" $1>B.Simon@contoso.com</NameID><NameID $1>${VICTIM}</NameID>`,
      );
      assert.ok(xml.includes('urn:example:shadow'));
      assertRefusedBy(await post(t, toBase64(xml)), 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test('white space and a carriage return added around the signed NameID are SP_SIGNATURE_DIGEST_MISMATCH, though the SP trims them', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond()).replace(`>${USER_EMAIL}</NameID>`, `>\n ${USER_EMAIL}&#13;</NameID>`);
      const outcome = await post(t, toBase64(xml));
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assert.equal(outcome.trace.summary.nameId, USER_EMAIL);
    });
  });

  test('comments and unused namespace declarations added after signing change nothing: still B.Simon, never anyone else', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const response = tamper(t.respond(), (doc) => {
        const nameId = firstElement(doc, NS.saml, 'NameID');
        nameId.insertBefore(doc.createComment(`${VICTIM}`), nameId.firstChild);
        nameId.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:shadow', 'urn:example:shadow');
      });
      const session = assertSignedIn(await post(t, response));
      assert.equal(session.email, USER_EMAIL);
      assert.equal(session.isAdministrator, false);
    });
  });
});

describe('forgery: IDs across the outer document and the decrypted plaintext', () => {
  test("an element outside the EncryptedAssertion carrying the plaintext assertion's ID as Id is SP_SIGNATURE_REFERENCE_INVALID", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond());
      const id = assertionIdOf(xml);
      const encrypted = encryptAssertion(xml, { assertionId: id, cert: spEncryption.cert });
      const response = toBase64(
        mutateResponseXml(encrypted, (doc) => {
          const decoy = doc.createElementNS('urn:example:decoy', 'd:Decoy');
          decoy.setAttribute('Id', id);
          const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
          extensions.appendChild(decoy);
          (doc.documentElement as Element).insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
        }),
      );
      const outcome = await post(t, response);
      assertCheck(outcome, 'encryption', 'pass');
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_REFERENCE_INVALID');
    });
  });
});

describe('forgery: the request a response answers', () => {
  test('an unsolicited assertion whose unsigned Response InResponseTo names another request is SP_IN_RESPONSE_TO_INCONSISTENT, and the request survives', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await t.stores.pending.add({
        id: '_pending1',
        accountCode: ACCOUNT.code,
        createdAt: NOW.toISOString(),
        expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
        relayState: null,
        requestedAuthnContexts: [],
      });
      const response = tamper(t.respond(), (doc) => (doc.documentElement as Element).setAttribute('InResponseTo', '_pending1'));
      assertRefusedBy(await post(t, response), 'in-response-to', 'SP_IN_RESPONSE_TO_INCONSISTENT');
      // A refused response never burns the request it named.
      assert.ok(await t.stores.pending.get('_pending1'));
    });
  });
});

describe('hostile input: bounded work', () => {
  test('a 50,000-character NameID made to backtrack the email pattern is refused as SP_NAMEID_NOT_EMAIL within seconds, not minutes', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      // No signature needed: every check reads the NameID, whatever the signature checks found.
      const response = tamper(t.respond(), (doc) => (firstElement(doc, NS.saml, 'NameID').textContent = `a@${'.'.repeat(50_000)},`));
      const started = performance.now();
      const outcome = await post(t, response);
      const elapsed = performance.now() - started;
      assertRefused(outcome);
      assertCheck(outcome, 'name-id', 'fail', 'SP_NAMEID_NOT_EMAIL');
      assert.ok(elapsed < 3000, `the ACS spent ${Math.round(elapsed)} ms on one response`);
    });
  });
});

describe('hostile input: what the report keeps is bounded', () => {
  test('a check result keeps at most MAX_DETAIL_CHARS of a value taken from the message', () => {
    const result = describeCheck('name-id', 'NameID', 'SAML Core').fail('SP_NAMEID_NOT_EMAIL', { received: 'a'.repeat(200_000) });
    assert.ok((result.received?.length ?? 0) <= MAX_DETAIL_CHARS + 40);
  });
});
