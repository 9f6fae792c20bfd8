import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { ENTRA_CLAIM, NS } from '../../../src/core/saml/constants.js';
import { parseIdpMetadata } from '../../../src/core/saml/metadata.js';
import { parseXmlSafely, XmlSafetyError } from '../../../src/core/saml/xml.js';
import {
  DEFAULT_METADATA_XML_LIMITS as metadataXmlLimitDefaults,
  DEFAULT_XML_LIMITS as xmlLimitDefaults,
} from '../../../src/core/saml/xml-limit-defaults.js';
import { checkXmlTextLimits, type XmlLimitDetails } from '../../../src/core/saml/xml-limits.js';
import { checkTreeLimits, xmlLimitsLeft } from '../../../src/core/saml/xml-tree-limits.js';
import { buildSignedTestResponse } from '../../_helpers/idp-signer.js';
import { idp1, spEncryption } from '../../_helpers/test-keys.js';

const NOW = new Date('2027-03-01T10:00:00.000Z');
const FIXTURE_METADATA = readFileSync(new URL('../../_fixtures/entra-app-metadata.xml', import.meta.url), 'utf8');
/** Room for the big hostile documents below: the byte limit must not be what refuses them. */
const ROOMY = { maxBytes: 8 * 1024 * 1024 };

function buildResponse(overrides: Partial<Parameters<typeof buildSignedTestResponse>[0]> = {}): string {
  return buildSignedTestResponse({
    now: NOW,
    acsUrl: 'http://sp.test/login/saml',
    audience: 'https://eu-api.mimecast.com/sso/CUK12A34',
    email: 'B.Simon@contoso.com',
    ...overrides,
  }).xml;
}

/** Asserts the refusal's code and, when given, which limit its details name. */
function assertRefused(fn: () => unknown, code: ErrorCode, limit?: XmlLimitDetails['limit']): XmlLimitDetails {
  let details: XmlLimitDetails | undefined;
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof XmlSafetyError, `expected XmlSafetyError, got ${String(err)}`);
    assert.equal(err.code, code);
    details = err.details as XmlLimitDetails;
    if (limit !== undefined) assert.equal(details.limit, limit);
    return true;
  });
  return details as XmlLimitDetails;
}

function nest(depth: number, inner = ''): string {
  return `${'<d>'.repeat(depth)}${inner}${'</d>'.repeat(depth)}`;
}

describe('parseXmlSafely: depth', () => {
  test('20,000 levels of plain nesting are SP_PAYLOAD_TOO_DEEP, naming the limit and where', () => {
    const details = assertRefused(() => parseXmlSafely(`<r>\n${nest(20_000)}</r>`, ROOMY), 'SP_PAYLOAD_TOO_DEEP', 'maxDepth');
    assert.equal(details.max, xmlLimitDefaults.maxDepth);
    assert.equal(details.element, 'd');
    assert.equal(details.line, 2);
    assert.equal(typeof details.column, 'number');
  });

  test('20,000 levels inside the ds:SignedInfo of a signed Entra response are SP_PAYLOAD_TOO_DEEP, not a RangeError', () => {
    const xml = buildResponse();
    const signedInfo = /<(?:ds:)?SignedInfo>/.exec(xml);
    assert.ok(signedInfo, 'the response carries a SignedInfo');
    const hostile = xml.replace(signedInfo[0], `${signedInfo[0]}${nest(20_000)}`);
    assertRefused(() => parseXmlSafely(hostile, ROOMY), 'SP_PAYLOAD_TOO_DEEP', 'maxDepth');
    // Nested ds:SignedInfo elements themselves, with the namespace declared on each.
    const shaped = `<ds:Signature xmlns:ds="${NS.ds}">${`<ds:SignedInfo xmlns:ds="${NS.ds}">`.repeat(20_000)}${'</ds:SignedInfo>'.repeat(20_000)}</ds:Signature>`;
    assertRefused(() => parseXmlSafely(shaped, ROOMY), 'SP_PAYLOAD_TOO_DEEP', 'maxDepth');
  });

  test('the limit is inclusive, and self-closing elements count as a level', () => {
    const max = xmlLimitDefaults.maxDepth;
    assert.ok(parseXmlSafely(nest(max)));
    assert.ok(parseXmlSafely(nest(max - 1, '<e/>')));
    assertRefused(() => parseXmlSafely(nest(max + 1)), 'SP_PAYLOAD_TOO_DEEP');
    assertRefused(() => parseXmlSafely(nest(max, '<e/>')), 'SP_PAYLOAD_TOO_DEEP');
  });

  test('a caller may pass its own limits', () => {
    assertRefused(() => parseXmlSafely(nest(4), { limits: { maxDepth: 3 } }), 'SP_PAYLOAD_TOO_DEEP');
    assert.ok(parseXmlSafely(nest(100), { limits: { maxDepth: 100 } }));
  });
});

describe('parseXmlSafely: width', () => {
  test('100,000 sibling elements are SP_PAYLOAD_TOO_WIDE (children of one element)', () => {
    const details = assertRefused(() => parseXmlSafely(`<r>${'<a/>'.repeat(100_000)}</r>`, ROOMY), 'SP_PAYLOAD_TOO_WIDE', 'maxChildren');
    assert.equal(details.max, xmlLimitDefaults.maxChildren);
    assert.equal(details.element, 'r');
  });

  test('many elements spread under many parents are SP_PAYLOAD_TOO_WIDE (elements in all)', () => {
    const group = `<g>${'<a/>'.repeat(100)}</g>`;
    assertRefused(() => parseXmlSafely(`<r>${group.repeat(200)}</r>`, ROOMY), 'SP_PAYLOAD_TOO_WIDE', 'maxElements');
  });

  test('an element with 10,000 attributes is SP_PAYLOAD_TOO_WIDE', () => {
    const attributes = Array.from({ length: 10_000 }, (_, i) => ` a${i}="v"`).join('');
    const details = assertRefused(() => parseXmlSafely(`<r${attributes}/>`, ROOMY), 'SP_PAYLOAD_TOO_WIDE', 'maxAttributes');
    assert.equal(details.max, xmlLimitDefaults.maxAttributes);
  });

  test('an element with 10,000 namespace declarations is SP_PAYLOAD_TOO_WIDE', () => {
    const declarations = Array.from({ length: 10_000 }, (_, i) => ` xmlns:p${i}="urn:p:${i}"`).join('');
    assertRefused(() => parseXmlSafely(`<r xmlns="urn:r"${declarations}/>`, ROOMY), 'SP_PAYLOAD_TOO_WIDE', 'maxNamespaceDeclarations');
  });

  test('attributes spread over many elements are SP_PAYLOAD_TOO_WIDE (attributes in all)', () => {
    const element = `<a${Array.from({ length: 40 }, (_, i) => ` b${i}="v"`).join('')}/>`;
    assertRefused(
      () => parseXmlSafely(`<r>${`<g>${element.repeat(100)}</g>`.repeat(5)}</r>`, ROOMY),
      'SP_PAYLOAD_TOO_WIDE',
      'maxTotalAttributes',
    );
  });
});

describe('parseXmlSafely: comments, CDATA sections and processing instructions', () => {
  test('35,000 empty comments are SP_PAYLOAD_TOO_WIDE (maxOtherNodes), counted on the text', () => {
    const details = assertRefused(
      () => parseXmlSafely(`<r><a>${'<!---->'.repeat(35_000)}</a></r>`, ROOMY),
      'SP_PAYLOAD_TOO_WIDE',
      'maxOtherNodes',
    );
    assert.equal(details.max, xmlLimitDefaults.maxOtherNodes);
    assert.equal(details.element, 'a');
    assert.equal(typeof details.line, 'number');
  });

  test('CDATA sections, processing instructions and the XML declaration count alike; the limit is inclusive', () => {
    const max = xmlLimitDefaults.maxOtherNodes;
    const mixed = (n: number) => Array.from({ length: n }, (_, i) => ['<!--c-->', '<![CDATA[x]]>', '<?pi x?>'][i % 3]).join('');
    assert.ok(parseXmlSafely(`<?xml version="1.0"?><r>${mixed(max - 1)}</r>`));
    assertRefused(() => parseXmlSafely(`<?xml version="1.0"?><r>${mixed(max)}</r>`), 'SP_PAYLOAD_TOO_WIDE', 'maxOtherNodes');
    assertRefused(() => parseXmlSafely(`<r/>${'<!--c-->'.repeat(max + 1)}`), 'SP_PAYLOAD_TOO_WIDE', 'maxOtherNodes');
  });

  test('the tree check counts them too, and metadata has a larger budget', () => {
    const doc = parseXmlSafely(`<r>${'<!--c--><![CDATA[x]]>'.repeat(20)}</r>`);
    assertRefused(() => checkTreeLimits(doc, { ...xmlLimitDefaults, maxOtherNodes: 39 }), 'SP_PAYLOAD_TOO_WIDE', 'maxOtherNodes');
    assert.equal(checkTreeLimits(doc, xmlLimitDefaults).otherNodes, 40);
    assert.ok(metadataXmlLimitDefaults.maxOtherNodes > xmlLimitDefaults.maxOtherNodes);
  });
});

describe('parseXmlSafely: every prefix is bound', () => {
  test('an element or attribute whose prefix no xmlns declares is SP_PAYLOAD_MALFORMED_XML', () => {
    for (const xml of ['<ds:Signature/>', '<r><ds:SignedInfo/></r>', `<r xmlns:ds="${NS.ds}"><ds:a/><q:b/></r>`, '<r q:ID="_1"/>']) {
      assertRefused(() => parseXmlSafely(xml), 'SP_PAYLOAD_MALFORMED_XML');
    }
  });

  test('bound prefixes, xml: attributes and a prefix declared on an ancestor pass', () => {
    const doc = parseXmlSafely(`<r xmlns:ds="${NS.ds}" xml:lang="en"><a><ds:b ds:c="1" xml:id="x"/></a></r>`);
    assert.equal(doc.documentElement.getElementsByTagNameNS(NS.ds, 'b').length, 1);
  });
});

describe('xmlLimitsLeft: what a document leaves for one read into it', () => {
  test('document-wide counts are reduced by what the document spent, per-element limits are not', () => {
    const doc = parseXmlSafely('<r a="1"><b c="2" d="3"/><!--x--></r>');
    const left = xmlLimitsLeft(doc, xmlLimitDefaults);
    assert.equal(left.maxElements, xmlLimitDefaults.maxElements - 2);
    assert.equal(left.maxTotalAttributes, xmlLimitDefaults.maxTotalAttributes - 3);
    assert.equal(left.maxOtherNodes, xmlLimitDefaults.maxOtherNodes - 1);
    assert.equal(left.maxDepth, xmlLimitDefaults.maxDepth);
    assert.equal(left.maxChildren, xmlLimitDefaults.maxChildren);
    assert.equal(xmlLimitsLeft(doc, { ...xmlLimitDefaults, maxElements: 2 }).maxElements, 0);
  });
});

describe('parseXmlSafely: what is not markup is not counted', () => {
  // Each of these would be past the limits below if its text were taken for elements or attributes.
  const decoys = [
    `<!-- ${'<a><a><a x="1">'.repeat(50)} -->`,
    `<![CDATA[${'<b><b>'.repeat(50)}]]>`,
    `<?note ${'<c>'.repeat(50)} x="<d>" ?>`,
  ].join('');
  const limits = {
    maxDepth: 3,
    maxElements: 4,
    maxChildren: 2,
    maxAttributes: 2,
    maxNamespaceDeclarations: 1,
    maxTotalAttributes: 4,
    maxOtherNodes: 30,
  };

  test('comments, CDATA, processing instructions and quoted values holding <a> pass', () => {
    const xml = `<?xml version="1.0"?>${decoys}<r xmlns="urn:r" title="<a>&lt;/r&gt;"><p v='</p> <q x="y"/> />'>${decoys}<q z=">"/></p><s>a &gt; b ${decoys}</s></r>`;
    const doc = parseXmlSafely(xml, { limits });
    assert.equal(doc.documentElement.getAttribute('title'), '<a></r>');
    assert.equal(doc.documentElement.getElementsByTagName('q').length, 1);
  });

  test('the same counter still sees the real markup around them', () => {
    assertRefused(() => parseXmlSafely(`<r>${decoys}<a><b><c>${decoys}<d/></c></b></a></r>`, { limits }), 'SP_PAYLOAD_TOO_DEEP');
    assertRefused(() => parseXmlSafely(`<r>${decoys}<a/><b x="<c/>"/>${decoys}<c/></r>`, { limits }), 'SP_PAYLOAD_TOO_WIDE', 'maxChildren');
    assertRefused(() => parseXmlSafely(`<r a="/>" b='>' c="<"/>`, { limits }), 'SP_PAYLOAD_TOO_WIDE', 'maxAttributes');
  });
});

describe('parseXmlSafely: real documents pass', () => {
  test('Entra-shaped responses: assertion signed, both signed, encrypted, 150 groups', () => {
    const groups = Array.from({ length: 150 }, (_, i) => `${String(i).padStart(8, '0')}-1111-4222-8333-444444444444`);
    for (const xml of [
      buildResponse(),
      buildResponse({ signing: { key: idp1.key, cert: idp1.cert, option: 'response-and-assertion', algorithm: 'sha256' } }),
      buildResponse({ encryption: { cert: spEncryption.cert } }),
      buildResponse({ extraClaims: [{ name: ENTRA_CLAIM.groups, values: groups }] }),
    ]) {
      assert.equal(parseXmlSafely(xml, { maxBytes: 256 * 1024 }).documentElement.localName, 'Response');
    }
  });

  test("the fixture's App Federation Metadata passes with the message limits and through the metadata parser", () => {
    assert.equal(parseXmlSafely(FIXTURE_METADATA).documentElement.localName, 'EntityDescriptor');
    const metadata = parseIdpMetadata(FIXTURE_METADATA, { now: NOW });
    assert.equal(metadata.documentSignature.verified, true);
  });
});

describe('metadata: its own budget, refused as METADATA_TOO_COMPLEX', () => {
  const body = FIXTURE_METADATA.replace(/^\uFEFF/, '').replace(/^<\?xml[^>]*\?>/, '');
  const aggregate = (entities: number): string =>
    `<md:EntitiesDescriptor xmlns:md="${NS.md}">${body}${`<md:EntityDescriptor entityID="https://sp.example/"><md:Extensions>${'<md:x/>'.repeat(20)}</md:Extensions></md:EntityDescriptor>`.repeat(entities)}</md:EntitiesDescriptor>`;

  test('an aggregate past the message element limit but inside the metadata budget is read', () => {
    const xml = aggregate(100);
    assertRefused(() => parseXmlSafely(xml), 'SP_PAYLOAD_TOO_WIDE', 'maxElements');
    assert.ok(xmlLimitDefaults.maxElements < 100 * 22 && 100 * 22 < metadataXmlLimitDefaults.maxElements);
    assert.equal(parseIdpMetadata(xml, { now: NOW }).entityId.startsWith('https://sts.windows.net/'), true);
  });

  test('past the metadata budget, or too deep, the import is refused with the limit in details', () => {
    const refusedWith = (xml: string): Record<string, unknown> => {
      try {
        parseIdpMetadata(xml, { now: NOW });
      } catch (err) {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'METADATA_TOO_COMPLEX');
        return err.details as Record<string, unknown>;
      }
      return assert.fail('expected METADATA_TOO_COMPLEX');
    };
    assert.deepEqual(
      { reason: 'SP_PAYLOAD_TOO_WIDE', limit: 'maxElements', max: metadataXmlLimitDefaults.maxElements },
      (({ reason, limit, max }) => ({ reason, limit, max }))(refusedWith(aggregate(600))),
    );
    const deep = body.replace('</IDPSSODescriptor>', `<Extensions>${nest(100)}</Extensions></IDPSSODescriptor>`);
    assert.equal(refusedWith(deep).reason, 'SP_PAYLOAD_TOO_DEEP');
  });
});

describe('the counters themselves', () => {
  test('the text counter is linear: a megabyte of each pathological shape is done at once', () => {
    const limits = {
      ...xmlLimitDefaults,
      maxElements: Number.MAX_SAFE_INTEGER,
      maxChildren: Number.MAX_SAFE_INTEGER,
      maxTotalAttributes: Number.MAX_SAFE_INTEGER,
    };
    const shapes = ['<', '<a ', '<a b="', "<a b='x' ", '<!--', '<![CDATA[', '<?', '</', '<a/>', '<a></a>', 'x="y" ', '>'];
    for (const unit of shapes) {
      const text = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
      const started = performance.now();
      try {
        checkXmlTextLimits(text, limits);
      } catch (err) {
        assert.ok(err instanceof XmlSafetyError, `${unit}: ${String(err)}`);
      }
      // A quadratic scan of a megabyte takes minutes; a linear one milliseconds.
      assert.ok(performance.now() - started < 2000, `${JSON.stringify(unit)} took ${performance.now() - started} ms`);
    }
  });

  test('the tree check refuses what the text counter would, without recursion', () => {
    const doc = parseXmlSafely(`<r>${nest(5000)}</r>`, { limits: { maxDepth: 6000, maxElements: 6000 } });
    assertRefused(() => checkTreeLimits(doc, xmlLimitDefaults), 'SP_PAYLOAD_TOO_DEEP', 'maxDepth');
    const wide = parseXmlSafely(`<r a="1" b="2">${'<a/>'.repeat(3)}</r>`);
    assertRefused(() => checkTreeLimits(wide, { ...xmlLimitDefaults, maxChildren: 2 }), 'SP_PAYLOAD_TOO_WIDE', 'maxChildren');
    assertRefused(() => checkTreeLimits(wide, { ...xmlLimitDefaults, maxAttributes: 1 }), 'SP_PAYLOAD_TOO_WIDE', 'maxAttributes');
    assert.doesNotThrow(() => checkTreeLimits(wide, xmlLimitDefaults));
  });
});
