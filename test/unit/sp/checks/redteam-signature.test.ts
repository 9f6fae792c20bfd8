/**
 * Attacks on the SP's own XML-DSig verification by someone who holds one genuine signed response for
 * B.Simon and wants to be kate@contoso.com, an administrator. Each forgery keeps the genuine
 * structure and changes one thing; each must be refused by the check and code that name the fault.
 */
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { ALGORITHM, NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, decodeXml, firstElement, post, signing, tamper, withCore } from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { idp1 } from '../../../_helpers/test-keys.js';

const ADMIN = 'kate@contoso.com';
const XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const XSLT = 'http://www.w3.org/TR/1999/REC-xslt-19991116';

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

const c14n = (node: Element): string => String(new ExclusiveCanonicalization().process(node, {}));

/**
 * The whole forgery an attacker without the IdP's key can do: NameID changed to the admin, the digest
 * recomputed honestly over the changed assertion, SignatureMethod set to `algorithm` and SignatureValue
 * computed over the canonical SignedInfo by `signWith`. Only the algorithm can make it pass.
 */
function forgeWith(samlResponse: string, algorithm: string, signWith: (canonical: string) => Buffer): string {
  return tamper(samlResponse, (doc) => {
    const assertion = firstElement(doc, NS.saml, 'Assertion');
    firstElement(assertion, NS.saml, 'NameID').textContent = ADMIN;
    const signature = firstElement(assertion, NS.ds, 'Signature');
    const copy = assertion.cloneNode(true) as Element;
    copy.removeChild(firstElement(copy, NS.ds, 'Signature'));
    firstElement(signature, NS.ds, 'DigestValue').textContent = createHash('sha256').update(c14n(copy)).digest('base64');
    firstElement(signature, NS.ds, 'SignatureMethod').setAttribute('Algorithm', algorithm);
    firstElement(signature, NS.ds, 'SignatureValue').textContent = signWith(c14n(firstElement(signature, NS.ds, 'SignedInfo'))).toString(
      'base64',
    );
  });
}

/** Replaces the assertion signature's Transforms with `algorithms`, each with optional child XML. */
function setTransforms(doc: Document, transforms: { algorithm: string; child?: (doc: Document) => Element }[]): void {
  const list = firstElement(doc, NS.ds, 'Transforms');
  while (list.firstChild) list.removeChild(list.firstChild);
  for (const { algorithm, child } of transforms) {
    const el = doc.createElementNS(NS.ds, 'Transform');
    el.setAttribute('Algorithm', algorithm);
    if (child) el.appendChild(child(doc));
    list.appendChild(el);
  }
}

function inclusiveNamespaces(doc: Document): Element {
  const el = doc.createElementNS(ALGORITHM.excC14n, 'ec:InclusiveNamespaces');
  el.setAttribute('PrefixList', '#default saml ds');
  return el;
}

describe('red team: signature algorithms outside RSA', () => {
  test('HMAC-SHA256 keyed with the public certificate (key confusion), digest honestly recomputed, is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const forged = forgeWith(t.respond(), 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', (s) =>
        createHmac('sha256', idp1.cert).update(s).digest(),
      );
      const outcome = await post(t, forged);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
      assertCheck(outcome, 'signature', 'fail', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test("ECDSA-SHA256 with the attacker's own key is SP_SIGNATURE_UNSUPPORTED", async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const forged = forgeWith(t.respond(), 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', (s) =>
        sign('sha256', Buffer.from(s), { key: privateKey, dsaEncoding: 'ieee-p1363' }),
      );
      assertRefusedBy(await post(t, forged), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('RSA-MD5 is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const forged = forgeWith(t.respond(), 'http://www.w3.org/2001/04/xmldsig-more#rsa-md5', () => Buffer.alloc(256, 1));
      assertRefusedBy(await post(t, forged), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });
});

describe('red team: the shape of SignedInfo and its Reference', () => {
  test('two ds:Reference elements in one SignedInfo (the second naming the changed content) are SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => {
        const reference = firstElement(doc, NS.ds, 'Reference');
        const second = reference.cloneNode(true) as Element;
        second.setAttribute('URI', '');
        reference.parentNode?.appendChild(second);
        firstElement(doc, NS.saml, 'NameID').textContent = ADMIN;
      });
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  for (const [name, uri] of [
    ['empty (the whole document)', ''],
    ['an XPointer', "#xpointer(id('_00000000'))"],
    ['absent', null],
  ] as const) {
    test(`a Reference URI that is ${name} is SP_SIGNATURE_REFERENCE_INVALID`, async () => {
      await withCore({}, async (t) => {
        const response = tamper(t.respond(), (doc) => {
          const reference = firstElement(doc, NS.ds, 'Reference');
          if (uri === null) reference.removeAttribute('URI');
          else reference.setAttribute('URI', uri);
        });
        assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_REFERENCE_INVALID');
      });
    });
  }

  test('an XPath transform that filters the NameID out of the digest is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const response = tamper(t.respond(), (doc) => {
        setTransforms(doc, [
          { algorithm: ALGORITHM.envelopedSignature },
          {
            algorithm: XPATH,
            child: (d) => {
              const xpath = d.createElementNS(NS.ds, 'XPath');
              xpath.textContent = 'not(ancestor-or-self::*[local-name()="NameID"])';
              return xpath;
            },
          },
          { algorithm: ALGORITHM.excC14n },
        ]);
        firstElement(doc, NS.saml, 'NameID').textContent = ADMIN;
      });
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('an XSLT transform (code run by the verifier) is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) =>
        setTransforms(doc, [
          { algorithm: ALGORITHM.envelopedSignature },
          { algorithm: XSLT, child: (d) => d.createElementNS('http://www.w3.org/1999/XSL/Transform', 'xsl:stylesheet') },
        ]),
      );
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('ec:InclusiveNamespaces PrefixList on the exclusive C14N Transform is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) =>
        setTransforms(doc, [{ algorithm: ALGORITHM.envelopedSignature }, { algorithm: ALGORITHM.excC14n, child: inclusiveNamespaces }]),
      );
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('ec:InclusiveNamespaces PrefixList on the CanonicalizationMethod is SP_SIGNATURE_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) =>
        firstElement(doc, NS.ds, 'CanonicalizationMethod').appendChild(inclusiveNamespaces(doc)),
      );
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_UNSUPPORTED');
    });
  });

  test('a SignatureValue of 60 kB of base64 is SP_SIGNATURE_VALUE_INVALID', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        firstElement(doc, NS.ds, 'SignatureValue').textContent = Buffer.alloc(45_000, 0x5a).toString('base64');
      });
      assertRefusedBy(await post(t, response), 'assertion-signature', 'SP_SIGNATURE_VALUE_INVALID');
    });
  });

  test('the Signature moved into a foreign namespace, so the assertion reads as unsigned, is SP_SIGNATURE_MISSING', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const xml = decodeXml(t.respond())
        .replace('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">', '<Signature xmlns="urn:example:not-dsig">')
        .replace('>B.Simon@contoso.com</NameID>', `>${ADMIN}</NameID>`);
      const outcome = await post(t, toBase64(xml));
      assertRefusedBy(outcome, 'signature', 'SP_SIGNATURE_MISSING');
      assertCheck(outcome, 'node-saml', 'fail', 'SP_NODE_SAML_REJECTED');
    });
  });
});

describe('red team: content the digest covers', () => {
  test('xml:base added to the signed assertion is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const xml = decodeXml(t.respond()).replace('<Assertion ', '<Assertion xml:base="https://evil.example/" ');
      assertRefusedBy(await post(t, toBase64(xml)), 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });

  test('a second saml:Subject naming the admin, before the genuine one, is SP_SIGNATURE_DIGEST_MISMATCH', async () => {
    await withCore({}, async (t) => {
      await addAdmin(t);
      const xml = decodeXml(t.respond()).replace(
        '<Subject>',
        `<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${ADMIN}</NameID></Subject><Subject>`,
      );
      const outcome = await post(t, toBase64(xml));
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      assertCheck(outcome, 'node-saml', 'fail', 'SP_NODE_SAML_REJECTED');
    });
  });

  for (const [name, value] of [
    ['a CDATA section', `<![CDATA[${ADMIN}]]>`],
    ['character references', '&#107;&#x61;te@contoso.com'],
    ['a reference that decodes to "<"', `${ADMIN}&#60;!---->.evil.example`],
  ] as const) {
    test(`the admin address written as ${name} in the signed NameID is SP_SIGNATURE_DIGEST_MISMATCH`, async () => {
      await withCore({}, async (t) => {
        await addAdmin(t);
        const xml = decodeXml(t.respond()).replace('>B.Simon@contoso.com</NameID>', `>${value}</NameID>`);
        assertRefusedBy(await post(t, toBase64(xml)), 'assertion-signature', 'SP_SIGNATURE_DIGEST_MISMATCH');
      });
    });
  }

  test('a wrapper carrying the assertion ID in a prefixed q:ID is SP_SIGNATURE_REFERENCE_INVALID', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond({ signing: signing({ option: 'response-and-assertion' }) }), (doc) => {
        const wrapper = doc.createElementNS('urn:example:q', 'q:Wrapper');
        wrapper.setAttributeNS('urn:example:q', 'q:ID', firstElement(doc, NS.saml, 'Assertion').getAttribute('ID') as string);
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        extensions.appendChild(wrapper);
        (doc.documentElement as Element).insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'assertion-signature', 'SP_SIGNATURE_REFERENCE_INVALID');
      assertCheck(outcome, 'response-signature', 'fail', 'SP_SIGNATURE_DIGEST_MISMATCH');
    });
  });
});
