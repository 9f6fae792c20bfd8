/**
 * Payloads that are not a usable SAML Response at all: too large (for the core and for the HTTP
 * layer), cut short, not base64, not UTF-8, the wrong binding's encoding, the wrong root element.
 * Each must get a clear 4xx refusal, never a 5xx.
 */
import { deflateRawSync } from 'node:zlib';
import { NS, STATUS } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { encodeXml, findElement, parseRawXml, serializeNode } from '../xml-craft.js';

/**
 * `depth` nested elements put right after the first `<tag>` of a genuine message, as text: a DOM
 * serializer would recurse as deep as the nesting, which is the point of the case.
 */
function nestAfter(xml: string, tag: string, depth: number): string {
  const at = xml.indexOf(`<${tag}>`);
  if (at === -1) throw new Error(`crafting: no <${tag}> in the response`);
  const end = at + tag.length + 2;
  return `${xml.slice(0, end)}${'<d>'.repeat(depth)}${'</d>'.repeat(depth)}${xml.slice(end)}`;
}

/** Payloads that are not a usable Response. */
export const payloadCases: ConformanceCase[] = [
  {
    id: 'payload-oversized',
    title: 'A genuine response padded with a 300 kB claim, over the 256 KiB limit',
    reference: 'SAML Bindings 3.5.4; CWE-400',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_TOO_LARGE',
    build: (kit) => ({
      samlResponse: kit.respond({ extraClaims: [{ name: 'http://schemas.example.test/claims/padding', values: ['x'.repeat(300_000)] }] })
        .base64,
    }),
  },
  {
    id: 'payload-over-http-body-limit',
    title: 'A form body larger than the ACS accepts at all (600 kB)',
    reference: 'CWE-400',
    expected: 'refused',
    expectedCode: 'PAYLOAD_TOO_LARGE',
    build: () => ({ samlResponse: 'A'.repeat(600 * 1024) }),
  },
  {
    id: 'payload-truncated',
    title: 'A genuine response cut in half',
    reference: 'XML 1.0 section 2.1 (well-formed)',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_MALFORMED_XML',
    build: (kit) => {
      const xml = kit.respond().xml;
      return { samlResponse: encodeXml(xml.slice(0, Math.floor(xml.length / 2))) };
    },
  },
  {
    id: 'payload-not-base64',
    title: 'A SAMLResponse field with characters outside base64',
    reference: 'SAML Bindings 3.5.4',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_NOT_BASE64',
    build: () => ({ samlResponse: 'PHNhbWxwOlJlc3BvbnNl*not-base64*' }),
  },
  {
    id: 'payload-raw-xml',
    title: 'The XML itself posted without base64 encoding',
    reference: 'SAML Bindings 3.5.4',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_NOT_BASE64',
    build: (kit) => ({ samlResponse: kit.respond().xml }),
  },
  {
    id: 'payload-not-utf8',
    title: 'A genuine response re-encoded as ISO-8859-1 (display name with é)',
    reference: 'SAML Bindings 3.5.4; XML 1.0 section 4.3.3',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_NOT_UTF8',
    build: (kit) => ({
      samlResponse: Buffer.from(kit.respond({ user: { displayName: 'Beyoncé Simon' } }).xml, 'latin1').toString('base64'),
    }),
  },
  {
    id: 'payload-redirect-encoding-on-post',
    title: 'A genuine response DEFLATE-compressed as for the Redirect binding, posted to the POST binding',
    reference: 'SAML Bindings 3.4.4.1, 3.5.4',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_NOT_UTF8',
    build: (kit) => ({ samlResponse: deflateRawSync(Buffer.from(kit.respond().xml, 'utf8')).toString('base64') }),
  },
  {
    id: 'payload-wrong-root-logout-response',
    title: 'A samlp:LogoutResponse posted to the ACS',
    reference: 'SAML Core 3.7.2',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_WRONG_ROOT',
    build: (kit) => ({
      samlResponse: encodeXml(
        `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" ID="${kit.newId()}" Version="2.0" IssueInstant="${kit.now.toISOString()}" Destination="${kit.acsUrl}"><Issuer xmlns="${NS.saml}">${kit.issuer}</Issuer><samlp:Status><samlp:StatusCode Value="${STATUS.success}"/></samlp:Status></samlp:LogoutResponse>`,
      ),
    }),
  },
  {
    id: 'payload-wrong-root-bare-assertion',
    title: 'A genuine signed assertion posted on its own, without a Response',
    reference: 'SAML Bindings 3.5.4; Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_WRONG_ROOT',
    build: (kit) => ({ samlResponse: encodeXml(serializeNode(findElement(parseRawXml(kit.respond().xml), NS.saml, 'Assertion'))) }),
  },
  {
    id: 'payload-deep-signed-info',
    title: "A genuine response with 5,000 nested elements inside the assertion's ds:SignedInfo",
    reference: 'CWE-674 (uncontrolled recursion in canonicalization); XML-DSig 4.4',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_TOO_DEEP',
    build: (kit) => ({ samlResponse: encodeXml(nestAfter(kit.respond().xml, 'SignedInfo', 5000)) }),
  },
  {
    id: 'payload-deep-signed-content',
    title: 'A genuine response with 32,000 nested elements inside a signed AttributeValue',
    reference: 'CWE-674; CWE-400 (digest over deep content)',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_TOO_DEEP',
    build: (kit) => ({ samlResponse: encodeXml(nestAfter(kit.respond().xml, 'AttributeValue', 32_000)) }),
  },
  {
    id: 'payload-empty',
    title: 'An empty SAMLResponse field',
    reference: 'SAML Bindings 3.5.4',
    expected: 'refused',
    expectedCode: 'SP_PAYLOAD_MISSING',
    build: () => ({ samlResponse: '' }),
  },
];
