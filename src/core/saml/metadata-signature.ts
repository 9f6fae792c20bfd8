/**
 * Verifies the enveloped signature a metadata document carries over its own root (SAML Metadata
 * 3.1), against certificates the document itself lists. That proves integrity since download, not
 * origin; trust in the IdP comes from where the metadata was fetched.
 */
import { SignedXml } from 'xml-crypto';
import { ALGORITHM, NS } from './constants.js';
import type { CertificateInfo, IdpMetadata } from './types.js';
import { childElements, countElementsWithId, firstChildElement, readAttribute } from './xml.js';

export type DocumentSignature = IdpMetadata['documentSignature'];

const UNSIGNED: DocumentSignature = { present: false, verified: false, verifiedBy: null, algorithm: null };

/** Transforms an enveloped metadata signature may list; anything else (XPath, XSLT) is refused. */
const ALLOWED_TRANSFORMS: ReadonlySet<string> = new Set([
  ALGORITHM.envelopedSignature,
  ALGORITHM.excC14n,
  ALGORITHM.excC14nWithComments,
  ALGORITHM.c14n,
]);

/**
 * The one Reference must point at the signed element itself: `#<its ID>`, or "" when it is the
 * document root; the ID must be unique so the reference cannot be steered to a decoy (XML-DSig
 * 4.4.3.3; SAML Core 5.4.2).
 */
function checkReference(doc: Document, signed: Element, signature: Element): boolean {
  const signedInfo = childElements(signature, NS.ds, 'SignedInfo');
  if (signedInfo.length !== 1) return false;
  const references = childElements(signedInfo[0] as Element, NS.ds, 'Reference');
  if (references.length !== 1) return false;
  const reference = references[0] as Element;
  const uri = readAttribute(reference, 'URI') ?? '';
  const id = readAttribute(signed, 'ID');
  const isRoot = doc.documentElement === signed;
  if (uri === '') {
    if (!isRoot) return false;
  } else if (id === null || uri !== `#${id}` || countElementsWithId(doc, id) !== 1) {
    return false;
  }
  const transforms = firstChildElement(reference, NS.ds, 'Transforms');
  const listed = transforms ? childElements(transforms, NS.ds, 'Transform') : [];
  return listed.every((t) => ALLOWED_TRANSFORMS.has(readAttribute(t, 'Algorithm') ?? ''));
}

/** Verifies with one certificate chosen by us, never with whatever KeyInfo offers. */
function verifyWith(xml: string, signature: Element, cert: CertificateInfo): boolean {
  const verifier = new SignedXml({ publicCert: cert.pem, getCertFromKeyInfo: () => null });
  try {
    verifier.loadSignature(signature);
    return verifier.checkSignature(xml) === true;
  } catch {
    // xml-crypto throws on a wrong signature value as well as on structural faults: both are "does not verify".
    return false;
  }
}

/**
 * Checks the ds:Signature that is a direct child of `signed` (enveloped, XML-DSig 6.6.4) against
 * each candidate in turn. `xml` must be the text `doc` was parsed from (BOM removed): xml-crypto
 * re-parses it to compute the digest.
 */
export function verifyEnvelopedSignature(
  doc: Document,
  xml: string,
  signed: Element,
  candidates: readonly CertificateInfo[],
): DocumentSignature {
  const signatures = childElements(signed, NS.ds, 'Signature');
  if (signatures.length === 0) return UNSIGNED;
  const signature = signatures[0] as Element;
  const signedInfo = firstChildElement(signature, NS.ds, 'SignedInfo');
  const method = signedInfo ? firstChildElement(signedInfo, NS.ds, 'SignatureMethod') : null;
  const algorithm = method ? readAttribute(method, 'Algorithm') : null;
  const refused: DocumentSignature = { present: true, verified: false, verifiedBy: null, algorithm };
  if (signatures.length > 1 || !checkReference(doc, signed, signature)) return refused;
  for (const cert of candidates) {
    if (verifyWith(xml, signature, cert)) return { present: true, verified: true, verifiedBy: cert.thumbprint, algorithm };
  }
  return refused;
}
