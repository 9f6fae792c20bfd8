/**
 * The forged-assertion classes: someone who holds one genuine signed assertion for themselves tries
 * to become another user. Every case starts from a genuine message and must be refused with the
 * exact check and code that name the fault.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFederationMetadata } from '../../../../src/core/idp/federation-metadata.js';
import { encryptAssertion, signElementById } from '../../../../src/core/idp/response-signing.js';
import { ALGORITHM, NS, STATUS } from '../../../../src/core/saml/constants.js';
import { parseXmlSafely } from '../../../../src/core/saml/xml.js';
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
import { mutateResponseXml, TEST_TENANT_ID, toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { idp1, spEncryption } from '../../../_helpers/test-keys.js';

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

/** The attacker's genuine response with the NameID changed to the victim, its signature kept as it was. */
function forgeNameId(samlResponse: string): string {
  return toBase64(mutateResponseXml(decodeXml(samlResponse), (doc) => (firstElement(doc, NS.saml, 'NameID').textContent = VICTIM)));
}

/** A genuine assertion for `nameId`, encrypted to the SP's certificate, as an EncryptedAssertion element's XML. */
function encryptedAssertionXml(t: TestSpCore, nameId: string): string {
  const xml = decodeXml(t.respond({ nameId: { value: nameId } }));
  const encrypted = encryptAssertion(xml, { assertionId: assertionIdOf(xml), cert: spEncryption.cert });
  const doc = parseXmlSafely(encrypted);
  return firstElement(doc, NS.saml, 'EncryptedAssertion').toString();
}

function importXml(doc: Document, xml: string): Element {
  return doc.importNode(parseXmlSafely(xml).documentElement as Element, true) as Element;
}

describe('forgery: the consumed tree is the verified tree', () => {
  test('a copy of a genuine signature over a changed NameID is refused on its digest, by the SP itself', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const outcome = await post(t, forgeNameId(t.respond()));
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'signature', 'fail', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'directory-user', 'pass');
    });
  });

  test('the same forgery inside an encrypted assertion is refused on its digest after decryption', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const forged = decodeXml(forgeNameId(t.respond()));
      const outcome = await post(t, toBase64(encryptAssertion(forged, { assertionId: assertionIdOf(forged), cert: spEncryption.cert })));
      assertCheck(outcome, 'encryption', 'pass');
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test("a signature lifted from the IdP's signed federation metadata, its ID copied onto the assertion, is refused", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const documentId = '_0f4e2c1a-9b8d-4c7e-a6f5-3d2c1b0a9e8f';
      const metadata = buildFederationMetadata({
        tenantId: TEST_TENANT_ID,
        idpBaseUrl: 'https://login.microsoftonline.com',
        documentId,
        certificates: [idp1.cert],
        signingKey: idp1.key,
        signingCert: idp1.cert,
        withBom: false,
      });
      const lifted = firstElement(parseXmlSafely(metadata), NS.ds, 'Signature');
      assert.equal(lifted.localName, 'Signature');
      const response = tamper(t.respond({ nameId: { value: VICTIM }, signing: signing({ option: 'none' }) }), (doc) => {
        const assertion = firstElement(doc, NS.saml, 'Assertion');
        assertion.setAttribute('ID', documentId);
        assertion.insertBefore(doc.importNode(lifted, true), firstElement(assertion, NS.saml, 'Subject'));
      });
      const outcome = await post(t, response);
      // SignatureValue is genuine (the IdP signed that SignedInfo); the digest names other content.
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test("signatures lifted from the IdP's other signed messages (an error Response, a LogoutRequest), their IDs copied, are refused", async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      // A refusal anyone can provoke, signed on the Response as the IdP signs it.
      const errorXml = decodeXml(
        t.respond({ status: { code: STATUS.requester, message: 'AADSTS50105' }, signing: signing({ option: 'response' }) }),
      );
      const errorDoc = parseXmlSafely(errorXml);
      const errorId = errorDoc.documentElement?.getAttribute('ID');
      assert.ok(errorId);
      // A LogoutRequest signed by the IdP with the POST binding's XML signature.
      const logoutId = '_5b1c9e2a-7d3f-4a8b-9c6e-1f2a3b4c5d6e';
      const logoutXml = signElementById(
        `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${logoutId}" Version="2.0" IssueInstant="${NOW.toISOString()}"><saml:Issuer>https://sts.windows.net/${TEST_TENANT_ID}/</saml:Issuer><saml:NameID>${VICTIM}</saml:NameID></samlp:LogoutRequest>`,
        { elementId: logoutId, key: idp1.key, cert: idp1.cert, signatureAlgorithm: ALGORITHM.rsaSha256, digestAlgorithm: ALGORITHM.sha256 },
      );
      const sources = [
        { from: 'error Response', id: errorId, signature: firstElement(errorDoc, NS.ds, 'Signature') },
        { from: 'LogoutRequest', id: logoutId, signature: firstElement(parseXmlSafely(logoutXml), NS.ds, 'Signature') },
      ];
      for (const { from, id, signature } of sources) {
        const response = tamper(t.respond({ nameId: { value: VICTIM }, signing: signing({ option: 'none' }) }), (doc) => {
          const assertion = firstElement(doc, NS.saml, 'Assertion');
          assertion.setAttribute('ID', id);
          assertion.insertBefore(doc.importNode(signature, true), firstElement(assertion, NS.saml, 'Subject'));
        });
        const outcome = await post(t, response);
        assert.equal(outcome.ok, false, from);
        // The SignatureValue is the IdP's own over that SignedInfo; its digest names the other message's content.
        assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      }
    });
  });

  test('a Response changed after "Sign SAML response and assertion" is refused though the assertion signature holds', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond({ signing: signing({ option: 'response-and-assertion' }) }), (doc) => {
        (doc.documentElement as Element).setAttribute('Destination', 'https://elsewhere.example/login/saml');
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'response-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'assertion-signature', 'pass');
    });
  });

  test('a junk SignatureValue is refused before any digest is computed over the content', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(
        forgeNameId(t.respond()),
        (doc) => (firstElement(doc, NS.ds, 'SignatureValue').textContent = Buffer.alloc(256, 1).toString('base64')),
      );
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_VALUE_INVALID');
    });
  });

  test('a second element carrying the assertion ID as xml:id is SP_SIGNATURE_REFERENCE_INVALID', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const decoy = doc.createElementNS('urn:example:decoy', 'd:Decoy');
        decoy.setAttributeNS(
          'http://www.w3.org/XML/1998/namespace',
          'xml:id',
          firstElement(doc, NS.saml, 'Assertion').getAttribute('ID') as string,
        );
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        extensions.appendChild(decoy);
        (doc.documentElement as Element).insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_REFERENCE_INVALID');
    });
  });

  for (const [name, transforms] of [
    ['exclusive C14N alone', ['http://www.w3.org/2001/10/xml-exc-c14n#']],
    [
      'three transforms',
      [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
    ],
  ] as const) {
    test(`Reference transforms other than exactly enveloped-signature + exclusive C14N (${name}) are SP_SIGNATURE_UNSUPPORTED`, async () => {
      await withCore(ACCEPT_ENCRYPTION, async (t) => {
        const response = tamper(t.respond(), (doc) => {
          const list = firstElement(doc, NS.ds, 'Transforms');
          while (list.firstChild) list.removeChild(list.firstChild);
          for (const algorithm of transforms) {
            const el = doc.createElementNS(NS.ds, 'Transform');
            el.setAttribute('Algorithm', algorithm);
            list.appendChild(el);
          }
        });
        assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
      });
    });
  }

  test('a processing instruction inside the signed assertion (read as text by c14n, skipped by the DOM) is refused', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const nameId = firstElement(doc, NS.saml, 'NameID');
        nameId.appendChild(doc.createProcessingInstruction('x', '.evil'));
      });
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('an attribute whose name starts with "xmlns" but declares nothing (left out of the digest by c14n) is refused', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond(), (doc) => firstElement(doc, NS.saml, 'NameID').setAttribute('xmlnsFormat', 'x'));
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('a signature anywhere but on the Response or the consumed assertion is refused as stray', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const copy = firstElement(doc, NS.ds, 'Signature').cloneNode(true);
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        extensions.appendChild(copy);
        (doc.documentElement as Element).insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_UNSUPPORTED');
      assertCheck(outcome, 'assertion-signature', 'pass');
    });
  });
});

describe('forgery: one strict EncryptedAssertion shape', () => {
  test('a decoy EncryptedData in a foreign wrapper beside the genuine EncryptedAssertion is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const decoy = encryptedAssertionXml(t, VICTIM);
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(
        mutateResponseXml(xml, (doc) => {
          const wrapper = doc.createElementNS('urn:example:wrapper', 'w:Wrapper');
          wrapper.appendChild(firstElement(importXml(doc, decoy), NS.xenc, 'EncryptedData'));
          const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
          extensions.appendChild(wrapper);
          (doc.documentElement as Element).insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
        }),
      );
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_ENCRYPTION_SHAPE');
      assertCheck(outcome, 'node-saml', 'skip');
    });
  });

  test('an EncryptedData in a foreign namespace inside the EncryptedAssertion is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(
        mutateResponseXml(xml, (doc) => {
          const foreign = doc.createElementNS('urn:example:evil', 'e:EncryptedData');
          firstElement(doc, NS.saml, 'EncryptedAssertion').insertBefore(foreign, firstElement(doc, NS.xenc, 'EncryptedData'));
        }),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('two EncryptedAssertions (the attacker’s own encrypted to the SP’s certificate, and a genuine one) are SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addVictim(t);
      const decoy = encryptedAssertionXml(t, VICTIM);
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(mutateResponseXml(xml, (doc) => (doc.documentElement as Element).appendChild(importXml(doc, decoy))));
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('the EncryptedKey beside the EncryptedData, named by ds:RetrievalMethod, is accepted and signs in', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(
        mutateResponseXml(xml, (doc) => {
          const key = firstElement(doc, NS.xenc, 'EncryptedKey');
          const keyInfo = key.parentNode as Element;
          keyInfo.removeChild(key);
          key.setAttribute('Id', '_key1');
          const method = doc.createElementNS(NS.ds, 'ds:RetrievalMethod');
          method.setAttribute('Type', 'http://www.w3.org/2001/04/xmlenc#EncryptedKey');
          method.setAttribute('URI', '#_key1');
          keyInfo.appendChild(method);
          firstElement(doc, NS.saml, 'EncryptedAssertion').appendChild(key);
        }),
      );
      const outcome = await post(t, response);
      assertSignedIn(outcome);
      assertCheck(outcome, 'encryption', 'pass');
      assertCheck(outcome, 'node-saml', 'pass');
    });
  });

  test('a RetrievalMethod whose URI carries a quote (XPath injection into xml-encryption) is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = toBase64(
        mutateResponseXml(xml, (doc) => {
          const key = firstElement(doc, NS.xenc, 'EncryptedKey');
          const keyInfo = key.parentNode as Element;
          keyInfo.removeChild(key);
          key.setAttribute('Id', "_k' or '1'='1");
          const method = doc.createElementNS(NS.ds, 'ds:RetrievalMethod');
          method.setAttribute('Type', 'http://www.w3.org/2001/04/xmlenc#EncryptedKey');
          method.setAttribute('URI', "#_k' or '1'='1");
          keyInfo.appendChild(method);
          firstElement(doc, NS.saml, 'EncryptedAssertion').appendChild(key);
        }),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  for (const option of ['assertion', 'response', 'response-and-assertion'] as const) {
    test(`a genuine encrypted response under "${option}" signs in, and node-saml read the same assertion`, async () => {
      await withCore(ACCEPT_ENCRYPTION, async (t) => {
        const outcome = await post(t, t.respond({ signing: signing({ option }), encryption: { cert: spEncryption.cert } }));
        assertSignedIn(outcome);
        assertCheck(outcome, 'node-saml', 'pass');
      });
    });
  }
});
