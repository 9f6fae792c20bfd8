/**
 * Encrypted assertions (SAML Core 2.3.4, 6.2; XML-Enc 3.4–3.5): one strict shape, one decryption.
 * Two libraries that look for "the" EncryptedData in different places decrypt two different
 * assertions, so the SP accepts exactly one arrangement and refuses every other encrypted element:
 *
 *   samlp:Response
 *     saml:EncryptedAssertion            exactly one, a direct child of the Response
 *       xenc:EncryptedData               exactly one
 *         ds:KeyInfo/xenc:EncryptedKey   the key here …
 *           or ds:KeyInfo/ds:RetrievalMethod → a sibling xenc:EncryptedKey (by its Id)
 *
 * with exactly one EncryptedKey and one EncryptedData in the whole message, in any namespace.
 */
import { promisify } from 'node:util';
import type xmlenc from 'xml-encryption';
import type { ErrorCode } from '../errors.js';
import { NS } from '../saml/constants.js';
import { childElements, descendantElements, parseXmlSafely, readAttribute, serializeXml, type XmlLimits } from '../saml/xml.js';
import { XmlSafetyError } from '../saml/xml-safety-error.js';

type Decrypt = (xml: string, options: xmlenc.DecryptOptions) => Promise<string>;
let loadingDecrypt: Promise<Decrypt> | null = null;

/** xml-encryption loads with the first encrypted assertion: most profiles refuse them, and start-up skips it. */
function loadDecrypt(): Promise<Decrypt> {
  loadingDecrypt ??= import('xml-encryption').then((m) => promisify(m.default.decrypt) as Decrypt);
  return loadingDecrypt;
}

const ENCRYPTED_KEY_TYPE = 'http://www.w3.org/2001/04/xmlenc#EncryptedKey';
const KEY_REFERENCE = /^#[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

/** The one accepted arrangement, with its parts; or why the message's encrypted content is refused. */
export type EncryptedShape =
  | { kind: 'none' }
  | { kind: 'refused'; problem: string }
  | {
      kind: 'accepted';
      encryptedAssertion: Element;
      encryptedData: Element;
      encryptedKey: Element;
      keyBy: 'key-info' | 'retrieval-method';
    };

/** The outcome of decrypting an accepted shape. */
export type Decryption = { ok: true; assertion: Element; plaintext: Document } | { ok: false; error: string; code?: ErrorCode };

/** Finds the encrypted parts of a Response and says whether they have the one accepted shape. */
export function readEncryptedShape(doc: Document): EncryptedShape {
  const root = doc.documentElement as Element;
  // Decoys hide in wrappers and foreign namespaces, so count by local name anywhere, then demand the place.
  const assertions = descendantElements(doc, '*', 'EncryptedAssertion');
  const data = descendantElements(doc, '*', 'EncryptedData');
  const keys = descendantElements(doc, '*', 'EncryptedKey');
  if (assertions.length === 0 && data.length === 0 && keys.length === 0) return { kind: 'none' };
  const refused = (problem: string): EncryptedShape => ({ kind: 'refused', problem });
  if (assertions.length !== 1) return refused(`${assertions.length} EncryptedAssertion elements; exactly one is accepted.`);
  const encryptedAssertion = assertions[0] as Element;
  if (encryptedAssertion.namespaceURI !== NS.saml || encryptedAssertion.parentNode !== root) {
    return refused(
      `The EncryptedAssertion is ${describe(encryptedAssertion)}; it must be a saml:EncryptedAssertion directly under the Response.`,
    );
  }
  if (data.length !== 1) return refused(`${data.length} EncryptedData elements in the message; exactly one is accepted.`);
  if (keys.length !== 1) return refused(`${keys.length} EncryptedKey elements in the message; exactly one is accepted.`);
  const encryptedData = data[0] as Element;
  const encryptedKey = keys[0] as Element;
  if (encryptedData.namespaceURI !== NS.xenc || encryptedData.parentNode !== encryptedAssertion) {
    return refused(
      `The EncryptedData is ${describe(encryptedData)}; it must be an xenc:EncryptedData directly under the EncryptedAssertion.`,
    );
  }
  if (encryptedKey.namespaceURI !== NS.xenc)
    return refused(`The EncryptedKey is ${describe(encryptedKey)}; it must be in the XML-Encryption namespace.`);
  const strangers = childElements(encryptedAssertion, '*', '*').filter((el) => el !== encryptedData && el !== encryptedKey);
  if (strangers.length > 0) return refused(`The EncryptedAssertion also holds ${strangers.map(describe).join(', ')}.`);
  const cipher = childElements(encryptedData, NS.xenc, 'CipherData');
  if (cipher.length !== 1 || childElements(cipher[0] as Element, NS.xenc, 'CipherValue').length !== 1) {
    return refused('The EncryptedData must carry its ciphertext in one CipherData/CipherValue (no CipherReference).');
  }
  const keyInfos = childElements(encryptedData, NS.ds, 'KeyInfo');
  if (keyInfos.length !== 1) return refused(`The EncryptedData has ${keyInfos.length} ds:KeyInfo elements; exactly one is accepted.`);
  const keyInfo = keyInfos[0] as Element;
  if (encryptedKey.parentNode === keyInfo) return { kind: 'accepted', encryptedAssertion, encryptedData, encryptedKey, keyBy: 'key-info' };
  if (encryptedKey.parentNode !== encryptedAssertion) {
    return refused(`The EncryptedKey is ${describe(encryptedKey)}; it must be in the EncryptedData's KeyInfo or beside the EncryptedData.`);
  }
  const methods = childElements(keyInfo, NS.ds, 'RetrievalMethod');
  const method = methods.length === 1 ? (methods[0] as Element) : null;
  const uri = method ? readAttribute(method, 'URI') : null;
  const keyId = readAttribute(encryptedKey, 'Id');
  if (
    !method ||
    readAttribute(method, 'Type') !== ENCRYPTED_KEY_TYPE ||
    !uri ||
    !KEY_REFERENCE.test(uri) ||
    keyId === null ||
    uri !== `#${keyId}`
  ) {
    return refused(
      'The EncryptedKey beside the EncryptedData must be named by one ds:RetrievalMethod (Type EncryptedKey, URI "#" + its Id) in the EncryptedData\'s KeyInfo.',
    );
  }
  return { kind: 'accepted', encryptedAssertion, encryptedData, encryptedKey, keyBy: 'retrieval-method' };
}

/**
 * Decrypts the accepted shape once, with the SP's key: xml-encryption is given a self-contained copy
 * of the EncryptedData that holds the one EncryptedKey in its KeyInfo, so it has nothing else to pick.
 * Insecure algorithms (RSA 1.5, 3DES) are refused. The plaintext goes through the same safe parser
 * as the message, within `limits` (what the message left of its budget), and must be one
 * saml:Assertion holding nothing encrypted.
 */
export async function decryptAssertion(
  shape: Extract<EncryptedShape, { kind: 'accepted' }>,
  key: string,
  maxBytes: number,
  limits: XmlLimits,
): Promise<Decryption> {
  try {
    const data = shape.encryptedData.cloneNode(true) as Element;
    if (shape.keyBy === 'retrieval-method') {
      const keyInfo = childElements(data, NS.ds, 'KeyInfo')[0] as Element;
      for (const method of childElements(keyInfo, NS.ds, 'RetrievalMethod')) keyInfo.removeChild(method);
      keyInfo.appendChild(shape.encryptedKey.cloneNode(true));
    }
    const decrypt = await loadDecrypt();
    const plaintext = await decrypt(serializeXml(data), {
      key,
      disallowDecryptionWithInsecureAlgorithm: true,
      warnInsecureAlgorithm: false,
    });
    const doc = parseXmlSafely(plaintext, { maxBytes, limits });
    const assertion = doc.documentElement as Element;
    if (assertion.namespaceURI !== NS.saml || assertion.localName !== 'Assertion') {
      return { ok: false, error: `The decrypted content is ${describe(assertion)}, not a saml:Assertion.` };
    }
    const nested = ['EncryptedAssertion', 'EncryptedData', 'EncryptedKey'].some((name) => descendantElements(doc, '*', name).length > 0);
    if (nested)
      return { ok: false, error: 'The decrypted assertion holds encrypted content of its own; nothing inside an assertion is decrypted.' };
    return { ok: true, assertion, plaintext: doc };
  } catch (error) {
    // A plaintext that parses but breaks a limit (or carries a DTD) is refused for that reason; one that
    // is not XML at all means the ciphertext or the key is wrong, which is a failed decryption.
    if (error instanceof XmlSafetyError && error.code !== 'SP_PAYLOAD_MALFORMED_XML')
      return { ok: false, error: `The decrypted assertion: ${error.message}`, code: error.code };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The Response as the SP consumes it: a copy of the received tree with the EncryptedAssertion
 * replaced by the decrypted Assertion, as text, for the second gate to read the same document.
 */
export function serializeWithPlaintext(doc: Document, shape: Extract<EncryptedShape, { kind: 'accepted' }>, assertion: Element): string {
  const copy = doc.cloneNode(true) as Document;
  const root = copy.documentElement as Element;
  const at = childElements(doc.documentElement as Element, '*', '*').indexOf(shape.encryptedAssertion);
  const target = childElements(root, '*', '*')[at] as Element;
  root.replaceChild(copy.importNode(assertion, true), target);
  return serializeXml(copy);
}

function describe(el: Element): string {
  const parent = el.parentNode as Element | null;
  const where = parent && parent.nodeType === 1 ? ` under {${parent.namespaceURI ?? ''}}${parent.localName}` : '';
  return `{${el.namespaceURI ?? ''}}${el.localName}${where}`;
}
