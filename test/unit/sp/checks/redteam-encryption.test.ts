/**
 * Attacks through the encrypted-assertion path by someone who knows the SP's public encryption
 * certificate, so can encrypt anything to it, and holds one genuine signed response for B.Simon.
 * Each must be refused by the check and code that name the fault.
 */
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, test } from 'node:test';
import { encryptAssertion } from '../../../../src/core/idp/response-signing.js';
import { NS } from '../../../../src/core/saml/constants.js';
import {
  ACCEPT_ENCRYPTION,
  assertCheck,
  assertRefusedBy,
  decodeXml,
  firstElement,
  post,
  signing,
  withCore,
} from '../../../_helpers/check-assert.js';
import { mutateResponseXml, toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { spEncryption } from '../../../_helpers/test-keys.js';

const ADMIN = 'kate@contoso.com';
const ENCRYPTED_KEY_TYPE = 'http://www.w3.org/2001/04/xmlenc#EncryptedKey';
const CONTENT_KEY = Buffer.alloc(32, 7);
const IV = Buffer.alloc(16, 9);

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

function assertionIdOf(xml: string): string {
  const id = /<Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1];
  assert.ok(id);
  return id;
}

/**
 * A Response whose EncryptedAssertion holds `plaintext`, whatever it is, encrypted to the SP's
 * certificate (AES-256-CBC with a content key the attacker chose): anyone can build this.
 */
function encryptPlaintext(t: TestSpCore, plaintext: (assertionXml: string) => string, overrides = {}): string {
  const xml = decodeXml(t.respond({ signing: signing({ option: 'assertion' }), ...overrides }));
  const assertion = /<Assertion [\s\S]*<\/Assertion>/.exec(xml)?.[0] as string;
  const random = (n: number) => (n === 32 ? CONTENT_KEY : IV);
  const encrypted = encryptAssertion(xml, { assertionId: assertionIdOf(xml), cert: spEncryption.cert, random });
  const cipher = createCipheriv('aes-256-cbc', CONTENT_KEY, IV);
  const body = Buffer.concat([IV, cipher.update(plaintext(assertion), 'utf8'), cipher.final()]).toString('base64');
  return toBase64(
    mutateResponseXml(encrypted, (doc) => {
      const values = doc.getElementsByTagNameNS(NS.xenc, 'CipherValue');
      (values.item(values.length - 1) as Element).textContent = body;
    }),
  );
}

/** A genuine encrypted response with the EncryptedKey moved beside the EncryptedData, and `fix` applied to the KeyInfo. */
function keyBeside(t: TestSpCore, fix: (keyInfo: Element, key: Element, doc: Document) => void): string {
  const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
  return toBase64(
    mutateResponseXml(xml, (doc) => {
      const key = firstElement(doc, NS.xenc, 'EncryptedKey');
      const keyInfo = key.parentNode as Element;
      keyInfo.removeChild(key);
      key.setAttribute('Id', '_key1');
      firstElement(doc, NS.saml, 'EncryptedAssertion').appendChild(key);
      fix(keyInfo, key, doc);
    }),
  );
}

function addRetrievalMethod(doc: Document, keyInfo: Element, uri: string, type = ENCRYPTED_KEY_TYPE): void {
  const method = doc.createElementNS(NS.ds, 'ds:RetrievalMethod');
  method.setAttribute('Type', type);
  method.setAttribute('URI', uri);
  keyInfo.appendChild(method);
}

describe('red team: ds:RetrievalMethod in the EncryptedData KeyInfo', () => {
  test('a RetrievalMethod naming a foreign element (the EncryptedData itself) is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = keyBeside(t, (keyInfo, _key, doc) => {
        const data = firstElement(doc, NS.xenc, 'EncryptedData');
        data.setAttribute('Id', '_data1');
        addRetrievalMethod(doc, keyInfo, '#_data1');
      });
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('two RetrievalMethods, both naming the key, are SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = keyBeside(t, (keyInfo, _key, doc) => {
        addRetrievalMethod(doc, keyInfo, '#_key1');
        addRetrievalMethod(doc, keyInfo, '#_key1');
      });
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('a RetrievalMethod of the wrong Type (X509Data) is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = keyBeside(t, (keyInfo, _key, doc) =>
        addRetrievalMethod(doc, keyInfo, '#_key1', 'http://www.w3.org/2000/09/xmldsig#X509Data'),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('a RetrievalMethod with an absolute URI (a fetch the verifier would make) is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = keyBeside(t, (keyInfo, key, doc) => {
        key.setAttribute('Id', 'http://169.254.169.254/latest');
        addRetrievalMethod(doc, keyInfo, 'http://169.254.169.254/latest');
      });
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('a CipherReference in place of the CipherValue (a fetch) is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
      const response = mutateResponseXml(xml, (doc) => {
        const data = firstElement(doc, NS.xenc, 'EncryptedData');
        const cipherData = Array.from(data.childNodes).find((n) => (n as Element).localName === 'CipherData') as Element;
        while (cipherData.firstChild) cipherData.removeChild(cipherData.firstChild);
        const reference = doc.createElementNS(NS.xenc, 'xenc:CipherReference');
        reference.setAttribute('URI', 'http://169.254.169.254/latest/meta-data');
        cipherData.appendChild(reference);
      });
      assertRefusedBy(await post(t, toBase64(response)), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });
});

describe('red team: exactly one EncryptedKey in the message', () => {
  /** A second key for the same content, encrypted by the attacker to the SP: xml-encryption would try either. */
  function withSecondKey(t: TestSpCore, place: (doc: Document, copy: Element) => void): string {
    const xml = decodeXml(t.respond({ encryption: { cert: spEncryption.cert } }));
    return toBase64(
      mutateResponseXml(xml, (doc) => {
        const copy = firstElement(doc, NS.xenc, 'EncryptedKey').cloneNode(true) as Element;
        place(doc, copy);
      }),
    );
  }

  test('a second EncryptedKey in the EncryptedData KeyInfo is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = withSecondKey(t, (doc, copy) =>
        (firstElement(doc, NS.xenc, 'EncryptedKey').parentNode as Element).appendChild(copy),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('a second EncryptedKey beside the EncryptedData, named by no RetrievalMethod, is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = withSecondKey(t, (doc, copy) => firstElement(doc, NS.saml, 'EncryptedAssertion').appendChild(copy));
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });

  test('an EncryptedKey in a foreign namespace and wrapper elsewhere in the Response is SP_ENCRYPTION_SHAPE', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = withSecondKey(t, (doc, copy) => {
        const wrapper = doc.createElementNS('urn:example:wrapper', 'w:Keys');
        const foreign = doc.createElementNS('urn:example:evil', 'e:EncryptedKey');
        for (let n = copy.firstChild; n; n = n.nextSibling) foreign.appendChild(n.cloneNode(true));
        wrapper.appendChild(foreign);
        const root = doc.documentElement as Element;
        root.insertBefore(wrapper, firstElement(doc, NS.saml, 'EncryptedAssertion'));
      });
      assertRefusedBy(await post(t, response), 'encryption', 'SP_ENCRYPTION_SHAPE');
    });
  });
});

describe('red team: plaintext the attacker encrypted to the SP', () => {
  test('an unsigned assertion for the admin, encrypted to the SP, decrypts and is SP_SIGNATURE_MISSING', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addAdmin(t);
      const response = encryptPlaintext(t, (a) => a, { nameId: { value: ADMIN }, signing: signing({ option: 'none' }) });
      const outcome = await post(t, response);
      assertCheck(outcome, 'encryption', 'pass');
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_MISSING');
    });
  });

  test('a plaintext with an entity-expansion DTD is refused as SP_PAYLOAD_DTD by the encryption check', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = encryptPlaintext(t, (a) => `<!DOCTYPE a [<!ENTITY x "${'x'.repeat(100)}"><!ENTITY y "&x;&x;&x;&x;">]>${a}`);
      assertRefusedBy(await post(t, response), 'encryption', 'SP_PAYLOAD_DTD');
    });
  });

  test('a plaintext of two assertions (the genuine one, then the admin’s) is SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      await addAdmin(t);
      const response = encryptPlaintext(t, (a) => `${a}${a.replace('>B.Simon@contoso.com<', `>${ADMIN}<`)}`);
      assertRefusedBy(await post(t, response), 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('a genuine signed assertion wrapping a second EncryptedAssertion inside its plaintext is SP_DECRYPTION_FAILED', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = encryptPlaintext(t, (a) =>
        a.replace(
          '<Subject>',
          '<Advice><EncryptedAssertion><EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"/></EncryptedAssertion></Advice><Subject>',
        ),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('a plaintext whose prefix is bound only in the Response around it is SP_DECRYPTION_FAILED, not read in that context', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = encryptPlaintext(t, (a) =>
        a.replace('<Assertion ', '<samlp:Extensions ').replace(/<\/Assertion>$/, '</samlp:Extensions>'),
      );
      assertRefusedBy(await post(t, response), 'encryption', 'SP_DECRYPTION_FAILED');
    });
  });

  test('a plaintext with 600 comments is SP_PAYLOAD_TOO_WIDE (maxOtherNodes) on the encryption check', async () => {
    await withCore(ACCEPT_ENCRYPTION, async (t) => {
      const response = encryptPlaintext(t, (a) => a.replace('<Subject>', `${'<!---->'.repeat(600)}<Subject>`));
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'encryption', 'SP_PAYLOAD_TOO_WIDE');
      assertCheck(outcome, 'node-saml', 'skip');
    });
  });
});
