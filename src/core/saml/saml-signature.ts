/**
 * The SP's own XML-DSig core validation (XML-DSig 3.2) of one enveloped SAML signature, on the very
 * DOM nodes the SP then reads. It trusts only the keys it is given (KeyInfo is reported, never used),
 * accepts only the shape SAML Core 5.4 allows, and checks in this order so that junk costs little:
 * structure, then SignatureValue over the canonical SignedInfo (one small c14n, one RSA verify per
 * trusted key), and only then the digest over the referenced element.
 */
import { createHash, createVerify, type KeyObject, timingSafeEqual } from 'node:crypto';
import { ExclusiveCanonicalization } from 'xml-crypto';
import type { ErrorCode } from '../errors.js';
import { thumbprintOfBase64Cached } from './certificate-cache.js';
import { ALGORITHM, NS } from './constants.js';
import type { CertificateInfo } from './types.js';
import { childElements, countElementsWithId, descendantElements, readAttribute, readText } from './xml.js';

/** A certificate the caller trusts, with its public key parsed once. */
export interface TrustedKey {
  cert: CertificateInfo;
  key: KeyObject;
}

/** The outcome for one signature: verified by which certificate, or refused with a code and a reason. */
export interface SignatureVerdict {
  signatureAlgorithm: string | null;
  digestAlgorithm: string | null;
  /** The certificate the message carried in KeyInfo (reported, never trusted). */
  keyInfoThumbprint: string | null;
  verifiedBy: CertificateInfo | null;
  failure: { code: ErrorCode; reason: string } | null;
}

const SIGNATURE_HASH: Readonly<Record<string, string>> = {
  [ALGORITHM.rsaSha256]: 'RSA-SHA256',
  [ALGORITHM.rsaSha1]: 'RSA-SHA1',
  [ALGORITHM.rsaSha512]: 'RSA-SHA512',
};
const DIGEST_HASH: Readonly<Record<string, string>> = {
  [ALGORITHM.sha256]: 'sha256',
  [ALGORITHM.sha1]: 'sha1',
  [ALGORITHM.sha512]: 'sha512',
};
const PROCESSING_INSTRUCTION_NODE = 7;
const NCNAME_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

/**
 * Verifies the one ds:Signature that is a direct child of `signed` (enveloped). `scopes` are every
 * document the message consists of (the received one, and the decrypted plaintext when there is
 * one): the element's ID must occur exactly once across them, in ID, Id or xml:id, so the reference
 * cannot name a decoy. Returns null when `signed` carries no signature.
 */
export function verifySamlSignature(
  signed: Element,
  scopes: readonly (Document | Element)[],
  trusted: readonly TrustedKey[],
): SignatureVerdict | null {
  const signatures = childElements(signed, NS.ds, 'Signature');
  if (signatures.length === 0) return null;
  const signature = signatures[0] as Element;
  const signedInfo = onlyChild(signature, 'SignedInfo');
  const method = signedInfo ? onlyChild(signedInfo, 'SignatureMethod') : null;
  const reference = signedInfo ? onlyChild(signedInfo, 'Reference') : null;
  const digestMethod = reference ? onlyChild(reference, 'DigestMethod') : null;
  const verdict: SignatureVerdict = {
    signatureAlgorithm: method ? readAttribute(method, 'Algorithm') : null,
    digestAlgorithm: digestMethod ? readAttribute(digestMethod, 'Algorithm') : null,
    keyInfoThumbprint: readKeyInfoThumbprint(signature),
    verifiedBy: null,
    failure: null,
  };
  const refuse = (code: ErrorCode, reason: string): SignatureVerdict => {
    verdict.failure = { code, reason };
    return verdict;
  };

  if (signatures.length > 1)
    return refuse(
      'SP_SIGNATURE_UNSUPPORTED',
      `The ${signed.localName} carries ${signatures.length} Signature elements; exactly one is allowed.`,
    );
  if (!signedInfo || !method || !reference || !digestMethod) {
    return refuse(
      'SP_SIGNATURE_UNSUPPORTED',
      'The Signature needs exactly one SignedInfo with one SignatureMethod and one Reference with one DigestMethod (XML-DSig 4.3; SAML Core 5.4.2).',
    );
  }
  const referenceProblem = findReferenceProblem(signed, reference, scopes);
  if (referenceProblem) return refuse('SP_SIGNATURE_REFERENCE_INVALID', referenceProblem);
  const signatureHash = SIGNATURE_HASH[verdict.signatureAlgorithm ?? ''];
  const digestHash = DIGEST_HASH[verdict.digestAlgorithm ?? ''];
  if (!signatureHash || !digestHash) {
    return refuse(
      'SP_SIGNATURE_UNSUPPORTED',
      `Signature algorithm ${verdict.signatureAlgorithm ?? '(none)'} with digest ${verdict.digestAlgorithm ?? '(none)'}: only RSA with SHA-256, SHA-1 or SHA-512 is accepted.`,
    );
  }
  const shapeProblem = findSignedInfoProblem(signedInfo) ?? findTransformProblem(reference);
  if (shapeProblem) return refuse('SP_SIGNATURE_UNSUPPORTED', shapeProblem);
  const ambiguity = findCanonicalAmbiguity(signed);
  if (ambiguity) return refuse('SP_SIGNATURE_UNSUPPORTED', ambiguity);
  const digestValue = onlyChild(reference, 'DigestValue');
  const signatureValue = onlyChild(signature, 'SignatureValue');
  if (!digestValue || !signatureValue)
    return refuse('SP_SIGNATURE_UNSUPPORTED', 'The Signature lacks its SignatureValue or the Reference its DigestValue.');

  // 1. SignatureValue over the canonical SignedInfo, with trusted keys only.
  const canonicalSignedInfo = canonicalize(signedInfo);
  const value = decodeBase64(readText(signatureValue));
  const by = trusted.find((t) => verifyValue(signatureHash, canonicalSignedInfo, t.key, value));
  if (!by) {
    const stranger = verdict.keyInfoThumbprint !== null && !trusted.some((t) => t.cert.thumbprint === verdict.keyInfoThumbprint);
    return stranger
      ? refuse(
          'SP_SIGNATURE_UNTRUSTED_CERT',
          `SignatureValue does not verify with a trusted certificate; KeyInfo names the certificate ${verdict.keyInfoThumbprint}, which the profile does not trust.`,
        )
      : refuse(
          'SP_SIGNATURE_VALUE_INVALID',
          `SignatureValue does not verify over SignedInfo with ${trusted.length === 1 ? 'the trusted certificate' : `any of the ${trusted.length} trusted certificates`}.`,
        );
  }

  // 2. The digest of the element the SP reads, enveloped signature removed, recomputed here.
  const expected = decodeBase64(readText(digestValue));
  const actual = createHash(digestHash).update(canonicalizeEnveloped(signed, signature)).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return refuse(
      'SP_SIGNATURE_DIGEST_MISMATCH',
      `The ${signed.localName}'s content does not match the signed digest: it was changed after signing.`,
    );
  }
  verdict.verifiedBy = by.cert;
  return verdict;
}

/** The one direct ds: child of this name, or null when there is none or more than one. */
function onlyChild(parent: Element, localName: string): Element | null {
  const found = childElements(parent, NS.ds, localName);
  return found.length === 1 ? (found[0] as Element) : null;
}

function findReferenceProblem(signed: Element, reference: Element, scopes: readonly (Document | Element)[]): string | null {
  const id = readAttribute(signed, 'ID');
  if (!id) return `The signed ${signed.localName} has no ID attribute to reference.`;
  if (!NCNAME_ID.test(id)) return `The ${signed.localName}'s ID "${id.slice(0, 80)}" is not an XML NCName of at most 256 characters.`;
  const uri = readAttribute(reference, 'URI');
  if (uri !== `#${id}`) return `The Reference URI is "${(uri ?? '').slice(0, 80)}", not "#${id}" (the element that carries the signature).`;
  const count = scopes.reduce((sum, scope) => sum + countElementsWithId(scope, id), 0);
  if (count !== 1) return `${count} elements carry the ID "${id}" (as ID, Id or xml:id); a signature must name exactly one.`;
  return null;
}

function findSignedInfoProblem(signedInfo: Element): string | null {
  const c14n = onlyChild(signedInfo, 'CanonicalizationMethod');
  if (!c14n || readAttribute(c14n, 'Algorithm') !== ALGORITHM.excC14n) {
    return 'SignedInfo must be canonicalised with exclusive C14N without comments (SAML Core 5.4.3).';
  }
  if (c14n.firstChild)
    return 'The CanonicalizationMethod carries parameters (such as InclusiveNamespaces); SAML signatures from Entra carry none.';
  return null;
}

/** Exactly enveloped-signature then exclusive C14N, without parameters (SAML Core 5.4.4). */
function findTransformProblem(reference: Element): string | null {
  const wrappers = childElements(reference, NS.ds, 'Transforms');
  const transforms = wrappers.length === 1 ? childElements(wrappers[0] as Element, '*', '*') : [];
  const algorithms = transforms.map((t) =>
    t.namespaceURI === NS.ds && t.localName === 'Transform' ? readAttribute(t, 'Algorithm') : null,
  );
  const exact = algorithms.length === 2 && algorithms[0] === ALGORITHM.envelopedSignature && algorithms[1] === ALGORITHM.excC14n;
  if (!exact || transforms.some((t) => t.firstChild)) {
    return `The Reference's transforms are [${algorithms.map((a) => a ?? '(not a ds:Transform)').join(', ')}]; only enveloped-signature followed by exclusive C14N is accepted (SAML Core 5.4.4).`;
  }
  return null;
}

/**
 * Nodes the canonical form and the DOM read differently, so that what is hashed is not what the SP
 * reads: xml-crypto's exclusive c14n renders a processing instruction's data as text (the DOM's text
 * skips it) and leaves out every attribute whose name merely starts with "xmlns" (`xmlnsFormat="…"`
 * is an ordinary attribute to the DOM). SAML messages carry neither, so both are refused.
 */
function findCanonicalAmbiguity(root: Element): string | null {
  for (const el of [root, ...descendantElements(root, '*', '*')]) {
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === PROCESSING_INSTRUCTION_NODE)
        return 'The signed element contains a processing instruction, which SAML messages never carry.';
    }
    for (let i = 0; i < el.attributes.length; i += 1) {
      const name = el.attributes.item(i)?.name ?? '';
      if (name.startsWith('xmlns') && name !== 'xmlns' && !name.startsWith('xmlns:')) {
        return `The signed element carries an attribute named "${name.slice(0, 80)}", which canonicalisation would leave out of the digest.`;
      }
    }
  }
  return null;
}

function canonicalize(node: Element): string {
  return String(new ExclusiveCanonicalization().process(node, {}));
}

/**
 * The enveloped-signature transform then exclusive C14N (XML-DSig 6.6.4, Exc-C14N 1.0): the signed
 * element rendered without the Signature that signs it. The Signature is left out while rendering,
 * so the tree read stays whole without a copy (a deep copy cost more than the canonicalisation).
 */
export function canonicalizeEnveloped(signed: Element, signature: Element): string {
  return String(new EnvelopedExclusiveCanonicalization(signature).process(signed, {}));
}

/** xml-crypto's exclusive C14N with one node rendered as nothing; pinned against a copy-based rendering by a test. */
class EnvelopedExclusiveCanonicalization extends ExclusiveCanonicalization {
  constructor(private readonly omitted: Node) {
    super();
  }

  override processInner(node: unknown, prefixes: unknown, defaultNs: unknown, defaultNsForPrefix: unknown, inclusive: string[]): string {
    return node === this.omitted ? '' : super.processInner(node, prefixes, defaultNs, defaultNsForPrefix, inclusive);
  }
}

function verifyValue(hash: string, canonicalSignedInfo: string, key: KeyObject, value: Buffer): boolean {
  try {
    return createVerify(hash).update(canonicalSignedInfo).verify(key, value);
  } catch {
    return false;
  }
}

/** Base64 with the white space XML allows inside it removed. */
function decodeBase64(text: string): Buffer {
  return Buffer.from(text.replace(/[\t\n\r ]/g, ''), 'base64');
}

function readKeyInfoThumbprint(signature: Element): string | null {
  const cert = descendantElements(signature, NS.ds, 'X509Certificate')[0];
  return cert ? thumbprintOfBase64Cached(readText(cert)) : null;
}
