/**
 * Verifies the enveloped signature a metadata document carries over its own root (SAML Metadata
 * 3.1), against certificates the document itself lists. That proves integrity since download, not
 * origin; trust in the IdP comes from where the metadata was fetched.
 */
import { readPublicKeyCached } from './certificate-cache.js';
import { NS } from './constants.js';
import { verifySamlSignature } from './saml-signature.js';
import type { CertificateInfo, IdpMetadata } from './types.js';
import { childElements, firstChildElement, readAttribute } from './xml.js';

export type DocumentSignature = IdpMetadata['documentSignature'];

const UNSIGNED: DocumentSignature = { present: false, verified: false, verifiedBy: null, algorithm: null };

/**
 * Checks the ds:Signature that is a direct child of `signed` (enveloped, XML-DSig 6.6.4) against the
 * certificates the document lists, with the same verification the ACS applies to a response
 * (src/core/saml/saml-signature.ts): one Reference to the element's unique ID, exactly
 * enveloped-signature + exclusive C14N, SignatureValue first, then the digest over the element. A
 * pasted document that was edited therefore costs one c14n pass, not a library's XPath over it.
 */
export function verifyEnvelopedSignature(doc: Document, signed: Element, candidates: readonly CertificateInfo[]): DocumentSignature {
  if (childElements(signed, NS.ds, 'Signature').length === 0) return UNSIGNED;
  const keys = candidates.flatMap((cert) => {
    try {
      return [{ cert, key: readPublicKeyCached(cert.pem) }];
    } catch {
      return [];
    }
  });
  const verdict = verifySamlSignature(signed, [doc], keys);
  const algorithm = verdict?.signatureAlgorithm ?? readSignatureAlgorithm(signed);
  if (!verdict || verdict.failure || !verdict.verifiedBy) return { present: true, verified: false, verifiedBy: null, algorithm };
  return { present: true, verified: true, verifiedBy: verdict.verifiedBy.thumbprint, algorithm };
}

function readSignatureAlgorithm(signed: Element): string | null {
  const signature = childElements(signed, NS.ds, 'Signature')[0];
  const signedInfo = signature ? firstChildElement(signature, NS.ds, 'SignedInfo') : null;
  const method = signedInfo ? firstChildElement(signedInfo, NS.ds, 'SignatureMethod') : null;
  return method ? readAttribute(method, 'Algorithm') : null;
}
