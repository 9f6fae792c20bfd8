import { promisify } from 'node:util';
import xmlenc from 'xml-encryption';
import { NS } from '../saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely, serializeXml } from '../saml/xml.js';

const decrypt = promisify(xmlenc.decrypt) as (xml: string, options: xmlenc.DecryptOptions) => Promise<string>;

export interface Decryption {
  /** The response carried an EncryptedAssertion directly under the Response. */
  present: boolean;
  decrypted: boolean;
  error: string | null;
  /** The response with each EncryptedAssertion replaced by its plaintext Assertion (when decrypted). */
  xml: string;
  doc: Document;
}

/**
 * Replaces each EncryptedAssertion under the Response with the Assertion it holds, decrypted with the
 * SP's encryption key (SAML Core 2.3.4, 6.2). Insecure algorithms (RSA 1.5, 3DES) are refused. The
 * plaintext goes through the same safe parser as everything else.
 */
export async function decryptAssertions(doc: Document, key: string | null, maxBytes: number): Promise<Decryption> {
  const root = doc.documentElement as Element;
  const encrypted = childElements(root, NS.saml, 'EncryptedAssertion');
  const unchanged = (error: string | null): Decryption => ({ present: encrypted.length > 0, decrypted: false, error, xml: '', doc });
  if (encrypted.length === 0) return unchanged(null);
  if (!key) return unchanged('This SP has no encryption key configured.');
  try {
    for (const element of encrypted) {
      const data = firstChildElement(element, NS.xenc, 'EncryptedData');
      if (!data) throw new Error('EncryptedAssertion has no xenc:EncryptedData.');
      const plaintext = await decrypt(serializeXml(data), { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false });
      const assertion = parseXmlSafely(plaintext, { maxBytes }).documentElement;
      if (!assertion || assertion.namespaceURI !== NS.saml || assertion.localName !== 'Assertion') {
        throw new Error('The decrypted content is not a saml:Assertion.');
      }
      root.replaceChild(doc.importNode(assertion, true), element);
    }
    const xml = serializeXml(doc);
    // Re-parse so the signature check and the facts read one consistent tree built from the text it verifies.
    return { present: true, decrypted: true, error: null, xml, doc: parseXmlSafely(xml, { maxBytes: maxBytes * 2 }) };
  } catch (error) {
    return unchanged(error instanceof Error ? error.message : String(error));
  }
}
