import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { NS } from '../../../src/core/saml/constants.js';
import { canonicalizeEnveloped } from '../../../src/core/saml/saml-signature.js';
import { childElements, parseXmlSafely, readText, serializeXml } from '../../../src/core/saml/xml.js';
import { buildSignedTestResponse } from '../../_helpers/idp-signer.js';
import { idp1 } from '../../_helpers/test-keys.js';

const NOW = new Date('2027-03-01T10:00:00.000Z');

function respond(option: 'assertion' | 'response' | 'response-and-assertion', prefix?: string): string {
  return buildSignedTestResponse({
    now: NOW,
    acsUrl: 'http://sp.test/login/saml',
    audience: 'https://eu-api.mimecast.com/sso/CUK12A34',
    email: 'B.Simon@contoso.com',
    signing: { key: idp1.key, cert: idp1.cert, option, algorithm: 'sha256', ...(prefix ? { prefix } : {}) },
  }).xml;
}

/** The enveloped-signature transform as XML-DSig words it: a copy of the element without its Signature, canonicalised. */
function canonicalizeCopy(signed: Element, signature: Element): string {
  const copy = signed.cloneNode(false) as Element;
  for (let node = signed.firstChild; node; node = node.nextSibling) if (node !== signature) copy.appendChild(node.cloneNode(true));
  return String(new ExclusiveCanonicalization().process(copy, {}));
}

function signedElements(doc: Document): Element[] {
  const root = doc.documentElement as Element;
  return [root, ...childElements(root, NS.saml, 'Assertion')].filter((el) => childElements(el, NS.ds, 'Signature').length === 1);
}

describe('canonicalizeEnveloped', () => {
  const documents: [string, string][] = [
    ['assertion signed', respond('assertion')],
    ['response signed', respond('response')],
    ['both signed (the Response holds the signed assertion)', respond('response-and-assertion')],
    ['ds: prefix', respond('assertion', 'ds')],
    [
      'namespaces declared on an ancestor, comments and white space',
      `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" ID="_r">\n  <!-- note -->\n  <saml:Assertion ID="_a" x="1"> <saml:Issuer>i</saml:Issuer>\n <ds:Signature><ds:SignedInfo/></ds:Signature><saml:Subject a="&lt;&amp;"> t &gt; </saml:Subject></saml:Assertion></samlp:Response>`,
    ],
  ];

  for (const [name, xml] of documents) {
    test(`renders exactly what a copy without the Signature renders, and leaves the tree as it was: ${name}`, () => {
      const doc = parseXmlSafely(xml);
      const before = serializeXml(doc);
      const elements = signedElements(doc);
      assert.ok(elements.length > 0, 'the document carries a signed element');
      for (const signed of elements) {
        const signature = childElements(signed, NS.ds, 'Signature')[0] as Element;
        assert.equal(canonicalizeEnveloped(signed, signature), canonicalizeCopy(signed, signature));
      }
      assert.equal(serializeXml(doc), before);
    });
  }

  test("is what the mock Entra's signatures digest: each DigestValue matches", () => {
    for (const option of ['assertion', 'response', 'response-and-assertion'] as const) {
      const doc = parseXmlSafely(respond(option));
      for (const signed of signedElements(doc)) {
        const signature = childElements(signed, NS.ds, 'Signature')[0] as Element;
        const digestValue = signature.getElementsByTagNameNS(NS.ds, 'DigestValue')[0] as Element;
        const digest = createHash('sha256').update(canonicalizeEnveloped(signed, signature)).digest('base64');
        assert.equal(digest, readText(digestValue), `${option}: ${signed.localName}`);
      }
    }
  });
});
