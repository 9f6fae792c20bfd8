/**
 * XML security for the responses the mock Entra issues: enveloped XML-DSig signatures on the
 * Response or Assertion, and XML-Enc encryption of an Assertion into an EncryptedAssertion.
 * Both take and return XML text so that callers (and hostile-variant tests) can chain them freely.
 */

import type { CipherGCMTypes } from 'node:crypto';
import { createCipheriv, constants as cryptoConstants, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { readPrivateKeyCached } from '../saml/certificate-cache.js';
import { ALGORITHM, NS } from '../saml/constants.js';
import { parseXmlSafely, type XmlLimits } from '../saml/xml.js';
import {
  BLOCK_CIPHER,
  type BlockCipherName,
  ENTRA_DEFAULTS,
  KEY_TRANSPORT,
  type KeyTransportName,
  SIGNING_ALGORITHM,
  type SigningAlgorithmName,
  XENC_TYPE_ELEMENT,
} from './saml-names.js';

/** Where the Signature element goes inside the signed element. */
export type SignaturePlacement = 'after-issuer' | 'first-child' | 'last-child';

export interface SignElementOptions {
  /** Value of the target's ID attribute; the Reference URI becomes `#<id>`. */
  elementId: string;
  /** Narrows the target to elements with this local name (useful when IDs are duplicated on purpose). */
  elementLocalName?: string;
  /** PEM private key. */
  key: string;
  /** PEM certificate for KeyInfo/X509Data; null leaves KeyInfo out. */
  cert: string | null;
  signatureAlgorithm: string;
  digestAlgorithm: string;
  /** Default exc-c14n, as Entra. */
  canonicalizationAlgorithm?: string;
  /** Default enveloped-signature then exc-c14n, as Entra. */
  transforms?: readonly string[];
  /** Default after-issuer (falls back to first-child when the element has no Issuer). */
  placement?: SignaturePlacement;
  /** Namespace prefix for the Signature elements; Entra uses none (default namespace). */
  prefix?: string;
  /** Limits for reading `xml`, the built-in defaults when absent; tests raise them to build what the SP must refuse. */
  xmlLimits?: Partial<XmlLimits>;
}

/**
 * Signs the element whose ID is `elementId` with an enveloped XML-DSig signature
 * (XML Signature 1.1 section 6.6.4; SAML Core 5.4). Low-level: every algorithm is a URI, so tests can
 * build signatures Entra would never produce.
 */
export function signElementById(xml: string, opts: SignElementOptions): string {
  const target = buildTargetXPath(opts.elementId, opts.elementLocalName);
  const doc = parseXmlSafely(xml, opts.xmlLimits ? { limits: opts.xmlLimits } : {});
  const element = findElementById(doc, opts.elementId, opts.elementLocalName);
  if (!element) throw new Error(`no element with ID ${opts.elementId} to sign`);
  const hasIssuer = Array.from(element.childNodes).some(
    (n) => n.nodeType === 1 && (n as Element).localName === 'Issuer' && (n as Element).namespaceURI === NS.saml,
  );
  const placement = opts.placement ?? 'after-issuer';
  const location =
    placement === 'last-child'
      ? { reference: target, action: 'append' as const }
      : placement === 'after-issuer' && hasIssuer
        ? { reference: `${target}/*[local-name(.)='Issuer' and namespace-uri(.)='${NS.saml}']`, action: 'after' as const }
        : { reference: target, action: 'prepend' as const };

  const cert = opts.cert;
  const signer = new SignedXml({
    // xml-crypto's RSA PKCS#1 signers take a parsed key; the others (PSS, HMAC) want the text.
    privateKey: PARSED_KEY_ALGORITHMS.has(opts.signatureAlgorithm) ? readPrivateKeyCached(opts.key) : opts.key,
    ...(cert ? { publicCert: cert, getKeyInfoContent: keyInfoContentFor(cert) } : { getKeyInfoContent: () => null }),
    signatureAlgorithm: opts.signatureAlgorithm,
    canonicalizationAlgorithm: opts.canonicalizationAlgorithm ?? ALGORITHM.excC14n,
    idAttribute: 'ID',
  });
  signer.addReference({
    xpath: target,
    transforms: [...(opts.transforms ?? [ALGORITHM.envelopedSignature, ALGORITHM.excC14n])],
    digestAlgorithm: opts.digestAlgorithm,
  });
  signer.computeSignature(xml, { location, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  return signer.getSignedXml();
}

const PARSED_KEY_ALGORITHMS: ReadonlySet<string> = new Set([ALGORITHM.rsaSha1, ALGORITHM.rsaSha256, ALGORITHM.rsaSha512]);

/** xml-crypto's own KeyInfo content (X509Data with the certificate) for `cert`, built once per prefix. */
function keyInfoContentFor(cert: string): (args: { prefix?: string | null }) => string | null {
  return ({ prefix }) => {
    const key = `${prefix ?? ''}\n${cert}`;
    let content = keyInfoContents.get(key);
    if (content === undefined) {
      content = SignedXml.getKeyInfoContent({ publicCert: cert, prefix: prefix ?? '' });
      if (keyInfoContents.size >= 64) keyInfoContents.delete(keyInfoContents.keys().next().value as string);
      keyInfoContents.set(key, content);
    }
    return content;
  };
}
const keyInfoContents = new Map<string, string | null>();

/**
 * Signs a Response or Assertion the way Entra does: enveloped, exc-c14n, rsa-sha256/sha256 (or
 * rsa-sha1/sha1), X509Certificate in KeyInfo, Signature right after the element's Issuer as the
 * SAML schema orders it (SAML Core 3.2.1 and 2.3.3).
 */
export function signEnveloped(
  xml: string,
  opts: {
    elementId: string;
    elementLocalName: 'Response' | 'Assertion';
    key: string;
    cert: string;
    algorithm: SigningAlgorithmName;
    /** true (the schema's place); false appends the Signature last, which schema-validating SPs refuse. */
    insertAfterIssuer?: boolean;
    prefix?: string;
  },
): string {
  const algorithms = SIGNING_ALGORITHM[opts.algorithm];
  return signElementById(xml, {
    elementId: opts.elementId,
    elementLocalName: opts.elementLocalName,
    key: opts.key,
    cert: opts.cert,
    signatureAlgorithm: algorithms.signature,
    digestAlgorithm: algorithms.digest,
    placement: opts.insertAfterIssuer === false ? 'last-child' : 'after-issuer',
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
}

export interface EncryptAssertionOptions {
  assertionId: string;
  /** PEM certificate of the SP's encryption key (Entra's "Token encryption" certificate). */
  cert: string;
  /** Default aes256-cbc: Entra documents AES-256 for SAML token encryption. */
  blockCipher?: BlockCipherName;
  /** Default rsa-oaep-mgf1p with SHA-1, the key transport Entra uses. */
  keyTransport?: KeyTransportName;
  /** Source of key and IV bytes; tests may pass a deterministic one. */
  random?: (size: number) => Buffer;
  /** Limits for reading `xml`, the built-in defaults when absent; tests raise them to encrypt what the SP must refuse. */
  xmlLimits?: Partial<XmlLimits>;
}

/**
 * Replaces the Assertion whose ID is `assertionId` with an EncryptedAssertion (SAML Core 2.3.4) that
 * holds an XML-Enc EncryptedData of Type Element with the content key in an EncryptedKey
 * (XML Encryption 1.1 sections 3 and 5). Done with node:crypto so the build stays synchronous.
 */
export function encryptAssertion(xml: string, opts: EncryptAssertionOptions): string {
  const doc = parseXmlSafely(xml, opts.xmlLimits ? { limits: opts.xmlLimits } : {});
  const assertion = findElementById(doc, opts.assertionId, 'Assertion');
  if (!assertion?.parentNode) throw new Error(`no Assertion with ID ${opts.assertionId} to encrypt`);
  const plaintext = new XMLSerializer().serializeToString(assertion);

  const cipherSpec = BLOCK_CIPHER[opts.blockCipher ?? ENTRA_DEFAULTS.blockCipher];
  const transport = opts.keyTransport ?? ENTRA_DEFAULTS.keyTransport;
  const random = opts.random ?? randomBytes;
  const contentKey = random(cipherSpec.keyBytes);
  const iv = random(cipherSpec.ivBytes);
  let cipherBytes: Buffer;
  if (cipherSpec.node.endsWith('gcm')) {
    const cipher = createCipheriv(cipherSpec.node as CipherGCMTypes, contentKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    // XML-Enc 1.1 5.2.4: IV, then ciphertext, then the 128-bit authentication tag.
    cipherBytes = Buffer.concat([iv, body, cipher.getAuthTag()]);
  } else {
    const cipher = createCipheriv(cipherSpec.node, contentKey, iv);
    cipherBytes = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]);
  }
  const certificate = new X509Certificate(opts.cert);
  const wrappedKey = publicEncrypt(
    transport === 'rsa-oaep-mgf1p'
      ? { key: certificate.publicKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }
      : { key: certificate.publicKey, padding: cryptoConstants.RSA_PKCS1_PADDING },
    contentKey,
  );

  const add = (parent: Element, ns: string, qname: string, attrs: Record<string, string> = {}, text?: string): Element => {
    const el = doc.createElementNS(ns, qname);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    if (text !== undefined) el.appendChild(doc.createTextNode(text));
    parent.appendChild(el);
    return el;
  };
  const wrapper = doc.createElementNS(NS.saml, 'EncryptedAssertion');
  const data = add(wrapper, NS.xenc, 'xenc:EncryptedData', { Type: XENC_TYPE_ELEMENT });
  data.setAttributeNS(NS.xmlns, 'xmlns:xenc', NS.xenc);
  add(data, NS.xenc, 'xenc:EncryptionMethod', { Algorithm: cipherSpec.uri });
  const keyInfo = add(data, NS.ds, 'KeyInfo');
  keyInfo.setAttributeNS(NS.xmlns, 'xmlns', NS.ds);
  const encryptedKey = add(keyInfo, NS.xenc, 'xenc:EncryptedKey');
  const keyMethod = add(encryptedKey, NS.xenc, 'xenc:EncryptionMethod', { Algorithm: KEY_TRANSPORT[transport] });
  if (transport === 'rsa-oaep-mgf1p') add(keyMethod, NS.ds, 'DigestMethod', { Algorithm: ALGORITHM.sha1 });
  const certInfo = add(add(encryptedKey, NS.ds, 'KeyInfo'), NS.ds, 'X509Data');
  add(certInfo, NS.ds, 'X509Certificate', {}, certificate.raw.toString('base64'));
  add(add(encryptedKey, NS.xenc, 'xenc:CipherData'), NS.xenc, 'xenc:CipherValue', {}, wrappedKey.toString('base64'));
  add(add(data, NS.xenc, 'xenc:CipherData'), NS.xenc, 'xenc:CipherValue', {}, cipherBytes.toString('base64'));

  assertion.parentNode.replaceChild(wrapper, assertion);
  return new XMLSerializer().serializeToString(doc);
}

/** An XPath 1.0 string literal for any value, quotes included (XPath 1.0 section 3.7). */
function toXPathLiteral(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `concat(${value
    .split("'")
    .map((part) => `'${part}'`)
    .join(`, "'", `)})`;
}

function buildTargetXPath(id: string, localName: string | undefined): string {
  const byName = localName ? `local-name(.)=${toXPathLiteral(localName)} and ` : '';
  return `//*[${byName}@ID=${toXPathLiteral(id)}]`;
}

/** The first element in document order with this ID (and local name), as the XPath above selects. */
function findElementById(doc: Document, id: string, localName: string | undefined): Element | null {
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const el = all.item(i);
    if (el && el.getAttribute('ID') === id && (!localName || el.localName === localName)) return el;
  }
  return null;
}
