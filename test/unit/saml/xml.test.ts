import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import {
  childElements,
  countElementsWithId,
  descendantElements,
  escapeXml,
  firstChildElement,
  parseXmlSafely,
  readAttribute,
  readText,
  serializeXml,
  stripBom,
  XmlSafetyError,
} from '../../../src/core/saml/xml.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

function assertRefused(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof XmlSafetyError && err.code === code);
}

describe('parseXmlSafely', () => {
  test('parses a well-formed document and tolerates a leading BOM', () => {
    const doc = parseXmlSafely(`\uFEFF<?xml version="1.0"?><r xmlns="urn:x"><a>1</a></r>`);
    assert.equal(doc.documentElement.localName, 'r');
    assert.equal(doc.documentElement.namespaceURI, 'urn:x');
  });

  test('refuses a DOCTYPE', () => {
    assertRefused(() => parseXmlSafely('<!DOCTYPE r><r/>'), 'SP_PAYLOAD_DTD');
    assertRefused(() => parseXmlSafely('<!doctype r><r/>'), 'SP_PAYLOAD_DTD');
  });

  test('refuses an internal entity declaration', () => {
    assertRefused(() => parseXmlSafely('<!DOCTYPE r [<!ENTITY who "admin">]><r>&who;</r>'), 'SP_PAYLOAD_DTD');
  });

  test('refuses an external (SYSTEM) entity', () => {
    assertRefused(() => parseXmlSafely('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'), 'SP_PAYLOAD_DTD');
  });

  test('refuses billion laughs', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      ' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
      ']>',
      '<lolz>&lol2;</lolz>',
    ].join('\n');
    assertRefused(() => parseXmlSafely(lol), 'SP_PAYLOAD_DTD');
  });

  test('refuses a stray ENTITY declaration without DOCTYPE', () => {
    assertRefused(() => parseXmlSafely('<!ENTITY x "y"><r/>'), 'SP_PAYLOAD_DTD');
  });

  test('does not mistake DOCTYPE text inside a comment or CDATA for a DTD', () => {
    const doc = parseXmlSafely('<!-- <!DOCTYPE r> --><r><![CDATA[<!ENTITY x "y">]]></r>');
    assert.equal(readText(doc.documentElement), '<!ENTITY x "y">');
  });

  test('finds a declaration after, between or behind comments and CDATA sections', () => {
    assertRefused(() => parseXmlSafely('<!-- a --><!DOCTYPE r><r/>'), 'SP_PAYLOAD_DTD');
    assertRefused(() => parseXmlSafely('<r><![CDATA[x]]><!ENTITY y "z"></r>'), 'SP_PAYLOAD_DTD');
    // A comment opener inside CDATA is text: the section ends at ]]>, and what follows is read.
    assertRefused(() => parseXmlSafely('<r><![CDATA[<!--]]><!ELEMENT r ANY><!-- --></r>'), 'SP_PAYLOAD_DTD');
    assertRefused(() => parseXmlSafely('<r><!-- unclosed <!DOCTYPE r></r>'), 'SP_PAYLOAD_DTD');
  });

  test('a refusal says where the parser stopped', () => {
    assert.throws(
      () => parseXmlSafely('<r>\n  <a b=1/>\n</r>'),
      (err: unknown) => err instanceof XmlSafetyError && /line:2/.test(JSON.stringify(err.details)),
    );
  });

  test('refuses malformed XML', () => {
    assertRefused(() => parseXmlSafely('<r><a></r>'), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely('<r a=1/>'), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely('<r>&undefined;</r>'), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely('<r/><s/>'), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely('just text'), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely(''), 'SP_PAYLOAD_MALFORMED_XML');
    assertRefused(() => parseXmlSafely('<r><!-- unclosed </r>'), 'SP_PAYLOAD_MALFORMED_XML');
  });

  test('refuses a document over maxBytes, counting UTF-8 bytes', () => {
    assertRefused(() => parseXmlSafely(`<r>${'a'.repeat(200)}</r>`, { maxBytes: 100 }), 'SP_PAYLOAD_TOO_LARGE');
    // 60 characters but 120 bytes.
    assertRefused(() => parseXmlSafely(`<r>${'é'.repeat(53)}</r>`, { maxBytes: 100 }), 'SP_PAYLOAD_TOO_LARGE');
    assert.ok(parseXmlSafely(`<r>${'a'.repeat(50)}</r>`, { maxBytes: 100 }));
  });

  test('its error is an AppError with the catalogue status', () => {
    try {
      parseXmlSafely('<!DOCTYPE r><r/>');
      assert.fail('expected a refusal');
    } catch (err) {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 400);
    }
  });
});

describe('stripBom', () => {
  test('removes and reports a BOM', () => {
    assert.deepEqual(stripBom('\uFEFF<r/>'), { text: '<r/>', hadBom: true });
  });
  test('leaves text without a BOM alone', () => {
    assert.deepEqual(stripBom('<r/>'), { text: '<r/>', hadBom: false });
  });
});

describe('DOM helpers', () => {
  const doc = parseXmlSafely(
    `<r xmlns:saml="${SAML}"><saml:Issuer>a</saml:Issuer><saml:Assertion ID="_1"><saml:Issuer>b</saml:Issuer></saml:Assertion><Issuer>c</Issuer><x Id="_1"/><y id="_2" empty=""/></r>`,
  );
  const root = doc.documentElement;

  test('readText joins text split by a comment (comment-injection bug)', () => {
    const nameId = parseXmlSafely('<NameID>admin@x.com<!---->.evil.com</NameID>').documentElement;
    assert.equal(readText(nameId), 'admin@x.com.evil.com');
  });

  test('readText includes CDATA and nested text', () => {
    assert.equal(readText(parseXmlSafely('<a>x<![CDATA[y]]><b>z</b></a>').documentElement), 'xyz');
  });

  test('childElements sees direct children only, in the given namespace', () => {
    assert.deepEqual(childElements(root, SAML, 'Issuer').map(readText), ['a']);
    assert.equal(childElements(root, 'urn:other', 'Issuer').length, 0);
    assert.equal(childElements(root, '*', '*').length, 5);
  });

  test('firstChildElement returns null when absent', () => {
    assert.equal(readText(firstChildElement(root, SAML, 'Issuer') as Element), 'a');
    assert.equal(firstChildElement(root, SAML, 'Subject'), null);
  });

  test('descendantElements finds nested elements in document order', () => {
    assert.deepEqual(descendantElements(root, SAML, 'Issuer').map(readText), ['a', 'b']);
  });

  test('descendantElements stays inside the element it starts from', () => {
    const tree = parseXmlSafely('<r><a><i n="1"/><b><i n="2"/></b>text<i n="3"/></a><i n="4"/><c><i n="5"/></c></r>');
    const a = firstChildElement(tree.documentElement, '*', 'a') as Element;
    assert.deepEqual(
      descendantElements(a, '*', 'i').map((el) => readAttribute(el, 'n')),
      ['1', '2', '3'],
    );
    assert.deepEqual(
      descendantElements(tree, '*', 'i').map((el) => readAttribute(el, 'n')),
      ['1', '2', '3', '4', '5'],
    );
    const leaf = descendantElements(a, '*', 'i')[0] as Element;
    assert.deepEqual(descendantElements(leaf, '*', '*'), []);
  });

  test('descendantElements walks very deep nesting without exhausting the stack', () => {
    const depth = 20_000;
    // Far past the default limits on purpose: the walk must hold even for a caller that raises them.
    const limits = { maxDepth: depth + 2, maxElements: depth + 2 };
    const tree = parseXmlSafely(`<r>${'<d>'.repeat(depth)}<i/>${'</d>'.repeat(depth)}</r>`, { maxBytes: 10 * depth, limits });
    assert.equal(descendantElements(tree, '*', 'd').length, depth);
    assert.equal(descendantElements(tree, '*', 'i').length, 1);
  });

  test('readAttribute tells absent from empty', () => {
    const y = firstChildElement(root, '*', 'y') as Element;
    assert.equal(readAttribute(y, 'empty'), '');
    assert.equal(readAttribute(y, 'missing'), null);
  });

  test('countElementsWithId counts ID, Id and id attributes', () => {
    assert.equal(countElementsWithId(doc, '_1'), 2);
    assert.equal(countElementsWithId(doc, '_2'), 1);
    assert.equal(countElementsWithId(doc, '_3'), 0);
  });

  test('serializeXml round-trips', () => {
    const text = serializeXml(root);
    assert.equal(serializeXml(parseXmlSafely(text).documentElement), text);
  });

  test('escapeXml escapes markup characters', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
