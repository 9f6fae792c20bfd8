import { SignedXml } from 'xml-crypto';
import { thumbprintOfBase64Cached } from '../saml/certificate-cache.js';
import { ALGORITHM, NS } from '../saml/constants.js';
import type { CertificateInfo } from '../saml/types.js';
import { childElements, countElementsWithId, descendantElements, firstChildElement, readAttribute } from '../saml/xml.js';
import { prepareSignatureValueCheck } from './signature-value.js';

/** One enveloped signature on the Response or on the consumed Assertion, examined and verified. */
export interface SignatureFinding {
  on: 'response' | 'assertion';
  signatureAlgorithm: string | null;
  digestAlgorithms: string[];
  /** Why the structure is refused before any cryptography, or null. */
  structureProblem: string | null;
  verified: boolean;
  /** The configured certificate whose key verified the signature. */
  verifiedBy: CertificateInfo | null;
  /** The certificate the message itself carried in KeyInfo (never trusted, only reported). */
  keyInfoThumbprint: string | null;
  /** Who checked the reference digest: this check (xml-crypto), or node-saml's gate that already did. */
  digestCheckedBy: 'xml-crypto' | 'node-saml' | null;
}

/** Everything the signature checks need, computed once per response. */
export interface SignatureAnalysis {
  /** ds:Signature elements anywhere in the document. */
  signatureCount: number;
  response: SignatureFinding | null;
  assertion: SignatureFinding | null;
  /** True when a verified signature covers the assertion the SP would consume. */
  coversConsumedAssertion: boolean;
  trusted: CertificateInfo[];
}

const ALLOWED_TRANSFORMS: ReadonlySet<string> = new Set([ALGORITHM.envelopedSignature, ALGORITHM.excC14n, ALGORITHM.excC14nWithComments]);

/**
 * Finds and verifies the signatures that may vouch for the consumed assertion (XML-DSig 3.2, SAML
 * Core 5.4): one on the Response root and one on the assertion, each a direct child of the element it
 * signs, with one Reference to that element's unique ID. Keys come only from the profile's
 * certificates; the certificate in KeyInfo is reported, never trusted (certificate-faking defence).
 * When the assertion arrived encrypted, `received` is the message as it came: a Response signature
 * was made over the EncryptedAssertion, so it is verified there, and it binds the plaintext too.
 */
export function analyzeSignatures(
  doc: Document,
  xml: string,
  consumed: Element | null,
  trusted: CertificateInfo[],
  options: { received?: { doc: Document; xml: string } | undefined; digestsVerifiedByNodeSaml: boolean },
): SignatureAnalysis {
  const root = doc.documentElement as Element;
  const asReceived = options.received ?? { doc, xml };
  const fast = options.digestsVerifiedByNodeSaml;
  const response = examineSignature(asReceived.doc, asReceived.xml, asReceived.doc.documentElement as Element, 'response', trusted, fast);
  const assertion = consumed ? examineSignature(doc, xml, consumed, 'assertion', trusted, fast) : null;
  // A Response signature covers the assertion only when the assertion is a direct child of that root.
  const consumedUnderRoot = consumed !== null && consumed.parentNode === root;
  return {
    signatureCount: descendantElements(doc, NS.ds, 'Signature').length,
    response,
    assertion,
    coversConsumedAssertion: Boolean(assertion?.verified || (response?.verified && consumedUnderRoot)),
    trusted,
  };
}

function examineSignature(doc: Document, xml: string, signed: Element, on: 'response' | 'assertion', trusted: CertificateInfo[], digestsVerified: boolean): SignatureFinding | null {
  const signatures = childElements(signed, NS.ds, 'Signature');
  if (signatures.length === 0) return null;
  const signature = signatures[0] as Element;
  const signedInfos = childElements(signature, NS.ds, 'SignedInfo');
  const signedInfo = signedInfos[0] ?? null;
  const method = signedInfo ? firstChildElement(signedInfo, NS.ds, 'SignatureMethod') : null;
  const references = signedInfo ? childElements(signedInfo, NS.ds, 'Reference') : [];
  const finding: SignatureFinding = {
    on,
    signatureAlgorithm: method ? readAttribute(method, 'Algorithm') : null,
    digestAlgorithms: references.map((r) => {
      const dm = firstChildElement(r, NS.ds, 'DigestMethod');
      return (dm && readAttribute(dm, 'Algorithm')) ?? '';
    }),
    structureProblem: null,
    verified: false,
    verifiedBy: null,
    keyInfoThumbprint: readKeyInfoThumbprint(signature),
    digestCheckedBy: null,
  };
  finding.structureProblem = findStructureProblem(doc, signed, signatures.length, signedInfos.length, references);
  if (finding.structureProblem) return finding;

  // The SignatureValue check is cheap and names the key; the digest over the signed element is the
  // expensive part. node-saml's gate has already verified it when it accepted this very message
  // (same parse rules, same single direct-child assertion), so it is recomputed only otherwise — and
  // then with just the key whose SignatureValue verified.
  const checkValue = prepareSignatureValueCheck(signature);
  const valueKey = checkValue && digestsVerified ? trusted.find((cert) => checkValue(cert.pem)) : undefined;
  if (valueKey) {
    finding.verified = true;
    finding.verifiedBy = valueKey;
    finding.digestCheckedBy = 'node-saml';
    return finding;
  }
  // Without node-saml's word on the digests, every key whose SignatureValue verifies gets a full check.
  const candidates = !checkValue ? trusted : digestsVerified ? [] : trusted.filter((cert) => checkValue(cert.pem));
  for (const cert of candidates) {
    if (verifyWith(xml, signature, cert.pem)) {
      finding.verified = true;
      finding.verifiedBy = cert;
      finding.digestCheckedBy = 'xml-crypto';
      break;
    }
  }
  return finding;
}

function findStructureProblem(doc: Document, signed: Element, signatureCount: number, signedInfoCount: number, references: Element[]): string | null {
  if (signatureCount > 1) return `The ${signed.localName} carries ${signatureCount} Signature elements; exactly one is allowed.`;
  if (signedInfoCount !== 1) return `The Signature has ${signedInfoCount} SignedInfo elements; XML-DSig 4.3 requires exactly one.`;
  if (references.length !== 1) return `SignedInfo has ${references.length} References; SAML Core 5.4.2 requires exactly one.`;
  const id = readAttribute(signed, 'ID');
  if (!id) return `The signed ${signed.localName} has no ID attribute to reference.`;
  const uri = readAttribute(references[0] as Element, 'URI');
  if (uri !== `#${id}`) return `The Reference URI is "${uri ?? ''}", not "#${id}" (the element that carries the signature).`;
  const idCount = countElementsWithId(doc, id);
  if (idCount !== 1) return `${idCount} elements have ID "${id}"; duplicate IDs let a signature point at a different element than the one read.`;
  const transforms = childElements(references[0] as Element, NS.ds, 'Transforms').flatMap((t) => childElements(t, NS.ds, 'Transform'));
  const odd = transforms.map((t) => readAttribute(t, 'Algorithm') ?? '').filter((a) => !ALLOWED_TRANSFORMS.has(a));
  if (odd.length > 0) return `The Reference uses transforms outside SAML Core 5.4.4: ${odd.join(', ')}.`;
  return null;
}

function verifyWith(xml: string, signature: Element, pem: string): boolean {
  // getCertFromKeyInfo returning null means only publicCert (a profile certificate) is ever used.
  const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
  try {
    verifier.loadSignature(signature);
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

// Only the thumbprint is reported, so hash the DER rather than parse the certificate.
function readKeyInfoThumbprint(signature: Element): string | null {
  const cert = descendantElements(signature, NS.ds, 'X509Certificate')[0];
  return cert ? thumbprintOfBase64Cached(cert.textContent ?? '') : null;
}
