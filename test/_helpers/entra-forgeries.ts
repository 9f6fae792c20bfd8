/**
 * Forgeries made from a genuine response of the mock Entra, as an attacker holding one signed
 * assertion for himself would make them. The attacker reads his own plaintext (here: decrypted with
 * the SP's test-only key, standing in for the copy he received from an app without token encryption)
 * and encrypts whatever he likes to the SP's public encryption certificate.
 */
import { promisify } from 'node:util';
import xmlenc from 'xml-encryption';
import {
  editXml,
  encodeXml,
  findChild,
  findElement,
  hideInExtensions,
  parseRawXml,
  serializeNode,
  setText,
} from '../../src/conformance/xml-craft.js';
import { encryptAssertion } from '../../src/core/idp/response-signing.js';
import { NS } from '../../src/core/saml/constants.js';
import type { XmlLimits } from '../../src/core/saml/xml-limit-defaults.js';

/** The attacker is bound by no limit: only the SP is. */
const UNBOUNDED: XmlLimits = {
  maxDepth: 1e6,
  maxElements: 1e6,
  maxChildren: 1e6,
  maxAttributes: 1e6,
  maxNamespaceDeclarations: 1e6,
  maxTotalAttributes: 1e6,
  maxOtherNodes: 1e6,
};

const decrypt = promisify(xmlenc.decrypt) as (xml: string, options: { key: string }) => Promise<string>;

export interface EntraCapture {
  /** The Response as the mock Entra posted it. */
  xml: string;
  encrypted: boolean;
}

export interface ForgeryKeys {
  spEncryptionKey: string;
  spEncryptionCert: string;
}

/** The Response with its assertion in the clear: the attacker's working copy. */
export async function openCapture(capture: EntraCapture, keys: ForgeryKeys): Promise<string> {
  if (!capture.encrypted) return capture.xml;
  const doc = parseRawXml(capture.xml);
  const encryptedAssertion = findElement(doc, NS.saml, 'EncryptedAssertion');
  const plaintext = await decrypt(serializeNode(findElement(encryptedAssertion, NS.xenc, 'EncryptedData')), { key: keys.spEncryptionKey });
  encryptedAssertion.parentNode?.replaceChild(doc.importNode(parseRawXml(plaintext).documentElement as Element, true), encryptedAssertion);
  return serializeNode(doc);
}

/** Encrypts the assertion again (to the SP's public certificate) when the capture was encrypted. */
export function seal(xml: string, capture: EntraCapture, keys: ForgeryKeys): string {
  if (!capture.encrypted) return xml;
  const assertionId = findElement(parseRawXml(xml), NS.saml, 'Assertion').getAttribute('ID') ?? '';
  return encryptAssertion(xml, { assertionId, cert: keys.spEncryptionCert, xmlLimits: UNBOUNDED });
}

/** An unsigned assertion for `victim`, copied from the genuine one, encrypted to the SP: anyone can make it. */
export function buildEncryptedVictim(openXml: string, victim: string, keys: ForgeryKeys): Element {
  const xml = editXml(openXml, (doc) => {
    const response = doc.documentElement as Element;
    const signature = findChild(response, NS.ds, 'Signature');
    if (signature) response.removeChild(signature);
    const assertion = findElement(doc, NS.saml, 'Assertion');
    const assertionSignature = findChild(assertion, NS.ds, 'Signature');
    if (assertionSignature) assertion.removeChild(assertionSignature);
    assertion.setAttribute('ID', `_evil${assertion.getAttribute('ID') ?? ''}`);
    setText(findElement(assertion, NS.saml, 'NameID'), victim);
  });
  const assertionId = findElement(parseRawXml(xml), NS.saml, 'Assertion').getAttribute('ID') ?? '';
  return findElement(parseRawXml(encryptAssertion(xml, { assertionId, cert: keys.spEncryptionCert })), NS.saml, 'EncryptedAssertion');
}

/** `levels` nested foreign elements, innermost empty. */
export function buildNesting(doc: Document, levels: number): Element {
  const top = doc.createElementNS('urn:example:deep', 'd:n');
  let current = top;
  for (let i = 1; i < levels; i++) current = current.appendChild(doc.createElementNS('urn:example:deep', 'd:n')) as Element;
  return top;
}

/** What the mock Entra made: which elements it signed, and whether it encrypted the assertion. */
export interface MessageShape {
  responseSigned: boolean;
  assertionSigned: boolean;
  encrypted: boolean;
}

export interface Forgery {
  id: string;
  /** Whether the forgery means anything for this shape (an altered signed Response needs a signed Response). */
  applies: (shape: MessageShape) => boolean;
  build: (capture: EntraCapture, keys: ForgeryKeys, context: { victim: string; metadataXml: string }) => Promise<string>;
  /** The check that must refuse it and its code. */
  expected: (shape: MessageShape) => { check: string; code: string };
}

const always = () => true;

/** The forgery classes, each on the mock Entra's genuine message. */
export const ENTRA_FORGERIES: readonly Forgery[] = [
  {
    id: 'copied-signature-over-changed-nameid',
    applies: always,
    build: async (capture, keys, { victim }) => {
      const open = editXml(await openCapture(capture, keys), (doc) => setText(findElement(doc, NS.saml, 'NameID'), victim));
      return encodeXml(seal(open, capture, keys));
    },
    expected: () => ({ check: 'signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH' }),
  },
  {
    id: 'look-alike-nameid-over-copied-signature',
    applies: always,
    build: async (capture, keys, { victim }) => {
      const lookAlike = victim.replace('k', '\u212A');
      const open = editXml(await openCapture(capture, keys), (doc) => setText(findElement(doc, NS.saml, 'NameID'), lookAlike));
      return encodeXml(seal(open, capture, keys));
    },
    expected: () => ({ check: 'signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH' }),
  },
  {
    id: 'decoy-encrypted-data-in-a-wrapper',
    applies: always,
    build: async (capture, keys, { victim }) => {
      const decoy = findElement(buildEncryptedVictim(await openCapture(capture, keys), victim, keys), NS.xenc, 'EncryptedData');
      return encodeXml(editXml(capture.xml, (doc) => hideInExtensions(doc, decoy)));
    },
    expected: () => ({ check: 'encryption', code: 'SP_ENCRYPTION_SHAPE' }),
  },
  {
    id: 'second-encrypted-assertion',
    applies: always,
    build: async (capture, keys, { victim }) => {
      const evil = buildEncryptedVictim(await openCapture(capture, keys), victim, keys);
      return encodeXml(
        editXml(capture.xml, (doc) => {
          const response = doc.documentElement as Element;
          const genuine = findChild(response, NS.saml, capture.encrypted ? 'EncryptedAssertion' : 'Assertion');
          response.insertBefore(doc.importNode(evil, true), genuine);
        }),
      );
    },
    // Beside a plain assertion the one EncryptedAssertion has the accepted shape: two assertions, then.
    expected: (shape) =>
      shape.encrypted ? { check: 'encryption', code: 'SP_ENCRYPTION_SHAPE' } : { check: 'single-assertion', code: 'SP_ASSERTION_COUNT' },
  },
  {
    id: 'foreign-namespace-encrypted-data',
    applies: (s) => s.encrypted,
    build: async (capture, keys, { victim }) => {
      const decoy = findElement(buildEncryptedVictim(await openCapture(capture, keys), victim, keys), NS.xenc, 'EncryptedData');
      return encodeXml(
        editXml(capture.xml, (doc) => {
          const encryptedAssertion = findElement(doc, NS.saml, 'EncryptedAssertion');
          const foreign = doc.createElementNS('urn:example:evil', 'e:EncryptedData');
          for (let n = decoy.firstChild; n; n = n.nextSibling) foreign.appendChild(doc.importNode(n, true));
          encryptedAssertion.insertBefore(foreign, encryptedAssertion.firstChild);
        }),
      );
    },
    expected: () => ({ check: 'encryption', code: 'SP_ENCRYPTION_SHAPE' }),
  },
  {
    id: 'metadata-signature-transplant',
    applies: always,
    build: async (capture, keys, { victim, metadataXml }) => {
      const metadata = parseRawXml(metadataXml).documentElement as Element;
      const lifted = findChild(metadata, NS.ds, 'Signature');
      if (!lifted) throw new Error('the App Federation Metadata is not signed');
      const open = editXml(await openCapture(capture, keys), (doc) => {
        const response = doc.documentElement as Element;
        const responseSignature = findChild(response, NS.ds, 'Signature');
        if (responseSignature) response.removeChild(responseSignature);
        const assertion = findElement(doc, NS.saml, 'Assertion');
        const own = findChild(assertion, NS.ds, 'Signature');
        if (own) assertion.removeChild(own);
        assertion.setAttribute('ID', metadata.getAttribute('ID') ?? '');
        assertion.insertBefore(doc.importNode(lifted, true), findChild(assertion, NS.saml, 'Subject'));
        setText(findElement(assertion, NS.saml, 'NameID'), victim);
      });
      return encodeXml(seal(open, capture, keys));
    },
    expected: () => ({ check: 'signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH' }),
  },
  {
    id: 'signed-response-altered',
    applies: (s) => s.responseSigned,
    build: async (capture) =>
      encodeXml(
        editXml(capture.xml, (doc) => {
          const response = doc.documentElement as Element;
          const instant = new Date(Date.parse(response.getAttribute('IssueInstant') ?? '') - 1000).toISOString();
          response.setAttribute('IssueInstant', instant);
        }),
      ),
    expected: () => ({ check: 'response-signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH' }),
  },
  {
    id: 'deep-signed-info',
    applies: always,
    build: async (capture, keys) => {
      const open = editXml(await openCapture(capture, keys), (doc) => {
        const signedInfo = findElement(doc, NS.ds, 'SignedInfo');
        signedInfo.appendChild(buildNesting(doc, 3000));
      });
      return encodeXml(seal(open, capture, keys));
    },
    // The first SignedInfo is the Response's, or, when only the encrypted assertion is signed, in the plaintext.
    expected: (shape) => ({ check: shape.encrypted && !shape.responseSigned ? 'encryption' : 'payload', code: 'SP_PAYLOAD_TOO_DEEP' }),
  },
  {
    id: 'deep-signed-content',
    applies: always,
    build: async (capture, keys) => {
      const open = editXml(await openCapture(capture, keys), (doc) => {
        findElement(doc, NS.saml, 'AttributeValue').appendChild(buildNesting(doc, 3000));
      });
      return encodeXml(seal(open, capture, keys));
    },
    // An encrypted assertion is parsed, within what the message left of the limits, once decrypted.
    expected: (shape) => ({ check: shape.encrypted ? 'encryption' : 'payload', code: 'SP_PAYLOAD_TOO_DEEP' }),
  },
  {
    id: 'pathological-nameid',
    applies: always,
    build: async (capture, keys) => {
      const open = editXml(await openCapture(capture, keys), (doc) =>
        setText(findElement(doc, NS.saml, 'NameID'), `a@a${'.a'.repeat(40_000)}.@..a`),
      );
      return encodeXml(seal(open, capture, keys));
    },
    expected: () => ({ check: 'name-id', code: 'SP_NAMEID_NOT_EMAIL' }),
  },
];
