/**
 * Injection: DTDs and entities, comment and CDATA truncation of the NameID, duplicate IDs, and extra
 * assertions hidden where SAML allows none.
 */
import { NS } from '../../core/saml/constants.js';
import type { CaseKit, ConformanceCase } from '../types.js';
import {
  appendDsObject,
  buildEvilAssertion,
  editXml,
  encodeXml,
  findChild,
  findElement,
  insertExtensions,
  parseRawXml,
  setText,
} from '../xml-craft.js';

/**
 * The first `<NameID …>text</NameID>` with its text replaced: what
 * `replace(/<NameID([^>]*)>[^<]*<\/NameID>/, …)` does, found with indexOf (the pattern is quadratic).
 */
function replaceNameIdText(xml: string, text: string): string {
  for (let open = xml.indexOf('<NameID'); open >= 0; open = xml.indexOf('<NameID', open + 1)) {
    const tagEnd = xml.indexOf('>', open);
    const next = tagEnd < 0 ? -1 : xml.indexOf('<', tagEnd + 1);
    if (next < 0) break;
    if (xml.startsWith('</NameID>', next)) return `${xml.slice(0, tagEnd + 1)}${text}${xml.slice(next)}`;
  }
  return xml;
}

/** Puts a DOCTYPE (with an internal subset) in front of a genuine response, and a reference into its NameID. */
function withDoctype(kit: CaseKit, subset: string, reference: string): string {
  const xml = replaceNameIdText(kit.respond().xml, reference);
  return encodeXml(`<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE samlp:Response [\n${subset}\n]>\n${xml}`);
}

/** A second, genuinely signed assertion (for the attacker's own address) taken from another response. */
function takeSignedAssertion(kit: CaseKit, doc: Document): Element {
  return doc.importNode(findElement(parseRawXml(kit.respond().xml), NS.saml, 'Assertion'), true);
}

/** NameID split the way the 2018 truncation attacks split it: `victim` + separator + `.attacker.example`. */
function splitNameId(kit: CaseKit, separator: (doc: Document) => Node): string {
  const registered = `${kit.victim}.attacker.example`;
  const built = kit.respond({ nameId: { value: registered }, user: { userPrincipalName: registered, mail: registered } });
  return encodeXml(
    editXml(built.xml, (doc) => {
      const nameId = findElement(doc, NS.saml, 'NameID');
      setText(nameId, kit.victim);
      nameId.appendChild(separator(doc));
      nameId.appendChild(doc.createTextNode('.attacker.example'));
    }),
  );
}

/** DTD, truncation and assertion-injection cases. */
export const injectionCases: ConformanceCase[] = [
  {
    id: 'dtd-doctype',
    title: 'A DOCTYPE with an empty internal subset in front of a genuine response',
    reference: 'SAML Bindings 3.5.4; SAML Core 1.3 (no DTD)',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_DTD',
    build: (kit) => ({ samlResponse: withDoctype(kit, '', kit.user) }),
  },
  {
    id: 'dtd-external-entity',
    title: 'XXE: an external entity (file:///etc/passwd) referenced from the NameID',
    reference: 'CWE-611 (XXE)',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_DTD',
    build: (kit) => ({ samlResponse: withDoctype(kit, '<!ENTITY xxe SYSTEM "file:///etc/passwd">', '&xxe;') }),
  },
  {
    id: 'dtd-entity-expansion',
    title: 'Entity expansion ("billion laughs") referenced from the NameID',
    reference: 'CWE-776 (billion laughs)',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_DTD',
    build: (kit) => {
      const levels = ['<!ENTITY lol0 "lollollollollollollollollollol">'];
      for (let i = 1; i <= 9; i += 1) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
      return { samlResponse: withDoctype(kit, levels.join('\n'), '&lol9;') };
    },
  },
  {
    id: 'nameid-comment-truncation',
    title: "NameID victim@…<!---->.attacker.example, signed for the attacker's registered address, must not sign in as the victim",
    reference: 'Duo 2018 / CVE-2017-11427',
    expected: 'refused',
    expectedCode: 'SP_USER_NOT_FOUND',
    build: (kit) => ({ samlResponse: splitNameId(kit, (doc) => doc.createComment('')) }),
  },
  {
    id: 'nameid-cdata-truncation',
    title: 'NameID split by an empty CDATA section instead of a comment',
    reference: 'Duo 2018 / CVE-2017-11428 (variant)',
    expected: 'refused',
    expectedCode: 'SP_USER_NOT_FOUND',
    build: (kit) => ({ samlResponse: splitNameId(kit, (doc) => doc.createCDATASection('')) }),
  },
  {
    id: 'duplicate-id-decoy',
    title: "A decoy element in Extensions carries the signed assertion's ID",
    reference: 'XML-DSig 4.4.3.3; SAML Core 1.3.4 (ID uniqueness)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_REFERENCE_INVALID',
    build: (kit) => {
      const built = kit.respond();
      return {
        samlResponse: encodeXml(
          editXml(built.xml, (doc) => {
            const decoy = doc.createElementNS('urn:example:decoy', 'd:Decoy');
            decoy.setAttribute('ID', built.assertionId);
            insertExtensions(doc, doc.documentElement as Element).appendChild(decoy);
          }),
        ),
      };
    },
  },
  {
    id: 'second-assertion-signed',
    title: 'A second genuinely signed assertion appended beside the first',
    reference: 'SAML Profiles 4.1.4.2 (one assertion)',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => (doc.documentElement as Element).appendChild(takeSignedAssertion(kit, doc))),
      ),
    }),
  },
  {
    id: 'second-assertion-signed-in-extensions',
    title: 'A second genuinely signed assertion hidden in samlp:Extensions',
    reference: 'SAML Core 3.2.2 (Extensions); assertion injection',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) =>
          insertExtensions(doc, doc.documentElement as Element).appendChild(takeSignedAssertion(kit, doc)),
        ),
      ),
    }),
  },
  {
    id: 'second-assertion-unsigned-in-ds-object',
    title: "An unsigned assertion for the victim inside a ds:Object of the genuine assertion's Signature",
    reference: 'XML-DSig 4.5 (Object); assertion injection',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => {
          const genuine = findElement(doc, NS.saml, 'Assertion');
          const signature = findChild(genuine, NS.ds, 'Signature') as Element;
          appendDsObject(doc, signature).appendChild(buildEvilAssertion(genuine, kit.newId(), kit.victim));
        }),
      ),
    }),
  },
  {
    id: 'encrypted-and-plain-assertions',
    title: 'A genuine encrypted assertion plus a plain unsigned assertion for the victim',
    reference: 'SAML Core 2.3.4; Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => {
      const plain = kit.respond().xml;
      return {
        samlResponse: encodeXml(
          editXml(kit.respond({ encryption: { cert: kit.spEncryptionCert } }).xml, (doc) => {
            const evil = buildEvilAssertion(findElement(parseRawXml(plain), NS.saml, 'Assertion'), kit.newId(), kit.victim);
            (doc.documentElement as Element).appendChild(doc.importNode(evil, true));
          }),
        ),
      };
    },
  },
];
