import { readPublicKeyCached } from '../saml/certificate-cache.js';
import { NS } from '../saml/constants.js';
import { type SignatureVerdict, type TrustedKey, verifySamlSignature } from '../saml/saml-signature.js';
import type { CertificateInfo } from '../saml/types.js';
import { descendantElements } from '../saml/xml.js';

/** One enveloped signature on the Response or on the consumed Assertion, verified by the SP itself. */
export interface SignatureFinding extends SignatureVerdict {
  on: 'response' | 'assertion';
}

/** Everything the signature checks need, computed once per response. */
export interface SignatureAnalysis {
  /** ds:Signature elements anywhere in the message (the plaintext assertion included). */
  signatureCount: number;
  response: SignatureFinding | null;
  assertion: SignatureFinding | null;
  /** Signatures that sit neither on the Response nor on the consumed assertion, described. */
  stray: string[];
  /** True when a signature that verified covers the assertion the SP consumes. */
  coversConsumedAssertion: boolean;
  trusted: CertificateInfo[];
}

/** The message as the SP reads it: the received tree, and the decrypted assertion when there was one. */
export interface SignedMessage {
  received: Document;
  /** The assertion the SP consumes: a direct child of the received Response, or the plaintext root. */
  consumed: Element | null;
  /** The decrypted assertion's own document, when the assertion arrived encrypted. */
  plaintext: Document | null;
}

/**
 * Verifies, with the SP's own code, every signature the SP relies on (XML-DSig 3.2, SAML Core 5.4):
 * the one on the Response root, over the tree as received (over the EncryptedAssertion when there is
 * one, which binds its plaintext), and the one on the consumed assertion, over that very element.
 * Both must verify when present; any other signature in the message is reported as stray. Keys come
 * only from the profile's certificates, never from KeyInfo.
 */
export function analyzeSignatures(message: SignedMessage, trusted: CertificateInfo[]): SignatureAnalysis {
  const keys: TrustedKey[] = trusted.map((cert) => ({ cert, key: readPublicKeyCached(cert.pem) }));
  const root = message.received.documentElement as Element;
  const scopes = message.plaintext ? [message.received, message.plaintext] : [message.received];
  const response = find('response', root, scopes, keys);
  const assertion = message.consumed ? find('assertion', message.consumed, scopes, keys) : null;
  const all = scopes.flatMap((scope) => descendantElements(scope, NS.ds, 'Signature'));
  const stray = all.filter((s) => s.parentNode !== root && s.parentNode !== message.consumed).map(describePlace);
  // The Response signature covers the consumed assertion only when that assertion is its direct child,
  // or came out of the one EncryptedAssertion that is (the shape check admits no other place).
  const underRoot =
    message.consumed !== null && (message.consumed.parentNode === root || message.consumed === message.plaintext?.documentElement);
  const verified = (f: SignatureFinding | null): boolean => f !== null && f.failure === null && f.verifiedBy !== null;
  return {
    signatureCount: all.length,
    response,
    assertion,
    stray,
    coversConsumedAssertion: verified(assertion) || (verified(response) && underRoot),
    trusted,
  };
}

function find(on: SignatureFinding['on'], signed: Element, scopes: Document[], keys: TrustedKey[]): SignatureFinding | null {
  const verdict = verifySamlSignature(signed, scopes, keys);
  return verdict ? { on, ...verdict } : null;
}

function describePlace(signature: Element): string {
  const parent = signature.parentNode as Element | null;
  const id = parent?.getAttribute?.('ID');
  return parent ? `a Signature under ${parent.localName}${id ? ` (ID ${id.slice(0, 80)})` : ''}` : 'a detached Signature';
}
