import { createVerify } from 'node:crypto';
import { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } from 'xml-crypto';
import { readPublicKeyCached } from '../saml/certificate-cache.js';
import { ALGORITHM, NS } from '../saml/constants.js';
import { childElements, descendantElements, firstChildElement, readAttribute, readText } from '../saml/xml.js';

const HASH_OF: Record<string, string> = {
  [ALGORITHM.rsaSha256]: 'RSA-SHA256',
  [ALGORITHM.rsaSha1]: 'RSA-SHA1',
  [ALGORITHM.rsaSha512]: 'RSA-SHA512',
};

/**
 * Prepares the cheap half of XML-DSig core validation (3.2.2, SignatureValue over the canonical
 * SignedInfo) for one signature, or returns null when this signature needs the full path: a
 * canonicalization other than exclusive C14N, InclusiveNamespaces, or an unknown algorithm.
 * The result verifies against a certificate in microseconds, without touching the signed content.
 */
export function prepareSignatureValueCheck(signature: Element): ((certPem: string) => boolean) | null {
  const signedInfo = childElements(signature, NS.ds, 'SignedInfo')[0];
  const valueEl = firstChildElement(signature, NS.ds, 'SignatureValue');
  if (!signedInfo || !valueEl) return null;
  const c14nEl = firstChildElement(signedInfo, NS.ds, 'CanonicalizationMethod');
  const methodEl = firstChildElement(signedInfo, NS.ds, 'SignatureMethod');
  const c14n = c14nEl ? readAttribute(c14nEl, 'Algorithm') : null;
  const hash = methodEl ? HASH_OF[readAttribute(methodEl, 'Algorithm') ?? ''] : undefined;
  if (!hash || !c14nEl || descendantElements(c14nEl, '*', 'InclusiveNamespaces').length > 0) return null;
  const canonicalizer =
    c14n === ALGORITHM.excC14n
      ? new ExclusiveCanonicalization()
      : c14n === ALGORITHM.excC14nWithComments
        ? new ExclusiveCanonicalizationWithComments()
        : null;
  if (!canonicalizer) return null;
  const canonical = String(canonicalizer.process(signedInfo, {}));
  const value = Buffer.from(readText(valueEl).replace(/\s+/g, ''), 'base64');
  return (certPem) => {
    try {
      return createVerify(hash).update(canonical).verify(readPublicKeyCached(certPem), value);
    } catch {
      return false;
    }
  };
}
