/**
 * Signatures on the HTTP-Redirect binding (SAML Bindings 3.4.4.1): the message is not signed as XML;
 * instead the query string `SAMLRequest|SAMLResponse=…&RelayState=…&SigAlg=…` is signed and the
 * signature travels in a `Signature` parameter. Both roles use it: the mock Entra signs its logout
 * messages as Entra does, the SP signs its own and verifies the IdP's against the profile's
 * certificates.
 */
import { sign, verify, X509Certificate } from 'node:crypto';
import { ALGORITHM } from './constants.js';

/** Which SAML parameter carries the message. */
export type RedirectParam = 'SAMLRequest' | 'SAMLResponse';

/**
 * How percent-escapes are spelled. The specification leaves it open; Entra (.NET) writes lower-case
 * hex (`%2b`), which is why a verifier must sign-check the query exactly as received, never re-encode it.
 */
export type PercentEncoding = 'upper' | 'lower';

const HASH_OF_SIG_ALG: Readonly<Record<string, 'sha256' | 'sha1' | 'sha512'>> = {
  [ALGORITHM.rsaSha256]: 'sha256',
  [ALGORITHM.rsaSha1]: 'sha1',
  [ALGORITHM.rsaSha512]: 'sha512',
};

/** Percent-encodes a query value (RFC 3986 unreserved characters left as they are). */
export function encodeQueryValue(value: string, style: PercentEncoding = 'upper'): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return style === 'lower' ? encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) : encoded;
}

/**
 * Builds a signed Redirect-binding query string (SAML Bindings 3.4.4.1): the parameters in the
 * order the specification fixes, SigAlg, then Signature over the octets before it. `message` is
 * already DEFLATEd and base64-encoded.
 */
export function buildSignedRedirectQuery(input: {
  param: RedirectParam;
  message: string;
  relayState: string | null;
  key: string;
  algorithm: 'sha256' | 'sha1';
  encoding?: PercentEncoding;
}): string {
  const style = input.encoding ?? 'upper';
  const sigAlg = input.algorithm === 'sha1' ? ALGORITHM.rsaSha1 : ALGORITHM.rsaSha256;
  let octets = `${input.param}=${encodeQueryValue(input.message, style)}`;
  if (input.relayState !== null) octets += `&RelayState=${encodeQueryValue(input.relayState, style)}`;
  octets += `&SigAlg=${encodeQueryValue(sigAlg, style)}`;
  const signature = sign(input.algorithm, Buffer.from(octets, 'utf8'), input.key).toString('base64');
  return `${octets}&Signature=${encodeQueryValue(signature, style)}`;
}

/** The outcome of checking a Redirect-binding signature. */
export type RedirectSignatureResult =
  | { status: 'unsigned' }
  | { status: 'verified'; sigAlg: string; hash: 'sha256' | 'sha1' | 'sha512'; certificate: string }
  | { status: 'invalid'; sigAlg: string | null; reason: 'malformed' | 'unsupported-algorithm' | 'no-trusted-certificate' };

/** The raw (still percent-encoded) values of a query string; null when a parameter repeats. */
function readRawParams(rawQuery: string): Map<string, string> | null {
  const params = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = at < 0 ? part : part.slice(0, at);
    if (params.has(name)) return null;
    params.set(name, at < 0 ? '' : part.slice(at + 1));
  }
  return params;
}

function decodeQueryValue(raw: string): string | null {
  try {
    // A literal '+' is kept: base64 has no spaces, and form-style '+' decoding would break it.
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Verifies the Redirect-binding signature of a query string exactly as it arrived (SAML Bindings
 * 3.4.4.1): the signed octets are rebuilt from the raw parameter values, so the sender's
 * percent-encoding (Entra's lower-case hex included) is honoured. Tries every trusted certificate.
 */
export function verifyRedirectSignature(rawQuery: string, param: RedirectParam, trustedPems: readonly string[]): RedirectSignatureResult {
  const params = readRawParams(rawQuery);
  if (params === null) return { status: 'invalid', sigAlg: null, reason: 'malformed' };
  const rawSignature = params.get('Signature');
  const rawSigAlg = params.get('SigAlg');
  const rawMessage = params.get(param);
  if (rawSignature === undefined && rawSigAlg === undefined) return { status: 'unsigned' };
  const sigAlg = rawSigAlg === undefined ? null : decodeQueryValue(rawSigAlg);
  const signature = rawSignature === undefined ? null : decodeQueryValue(rawSignature);
  if (rawMessage === undefined || rawSigAlg === undefined || sigAlg === null || signature === null || signature === '') {
    return { status: 'invalid', sigAlg, reason: 'malformed' };
  }
  const hash = HASH_OF_SIG_ALG[sigAlg];
  if (hash === undefined) return { status: 'invalid', sigAlg, reason: 'unsupported-algorithm' };
  const relayState = params.get('RelayState');
  const octets = Buffer.from(
    `${param}=${rawMessage}${relayState === undefined ? '' : `&RelayState=${relayState}`}&SigAlg=${rawSigAlg}`,
    'utf8',
  );
  const signatureBytes = Buffer.from(signature, 'base64');
  for (const pem of trustedPems) {
    try {
      if (verify(hash, octets, new X509Certificate(pem).publicKey, signatureBytes))
        return { status: 'verified', sigAlg, hash, certificate: pem };
    } catch {
      // An unreadable certificate in the profile cannot verify anything; the next one may.
    }
  }
  return { status: 'invalid', sigAlg, reason: 'no-trusted-certificate' };
}
