import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describeCertificate } from './certs.js';
import type { CertificateInfo } from './types.js';

/**
 * A bounded memo (oldest out first) for pure functions of a PEM text. The results depend only on the
 * input, so sharing them between apps changes nothing they can observe.
 */
function memoizeByPem<T>(compute: (pem: string) => T, maxEntries = 256, maxKeyLength = Number.POSITIVE_INFINITY): (pem: string) => T {
  const entries = new Map<string, T>();
  return (pem) => {
    if (pem.length > maxKeyLength) return compute(pem);
    const hit = entries.get(pem);
    if (hit !== undefined) return hit;
    const value = compute(pem);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(pem, value);
    return value;
  };
}

/** {@link describeCertificate} remembered: the ACS describes the profile's certificates on every response. */
export const describeCertificateCached: (pem: string) => CertificateInfo = memoizeByPem(describeCertificate);

/** The public key of a certificate, parsed once: verifying with a PEM string re-parses it each time. */
export const readPublicKeyCached: (pem: string) => KeyObject = memoizeByPem((pem) => createPublicKey(pem));

/** A PEM private key parsed once: the mock Entra signs every token with one of a few app keys. */
export const readPrivateKeyCached: (pem: string) => KeyObject = memoizeByPem((pem) => createPrivateKey(pem), 64);

/**
 * The SHA-1 thumbprint (upper-case hex) of a base64 DER certificate as written in KeyInfo, white
 * space ignored; null when it decodes to nothing. Remembered, since an IdP sends the same one every
 * time; the text comes from the message, so only certificate-sized texts are kept (256 × 16 KB at most).
 */
export const thumbprintOfBase64Cached: (base64: string) => string | null = memoizeByPem(
  (base64) => {
    const der = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    return der.length > 0 ? createHash('sha1').update(der).digest('hex').toUpperCase() : null;
  },
  256,
  16 * 1024,
);
