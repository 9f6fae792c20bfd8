import { createPublicKey, type KeyObject } from 'node:crypto';
import { describeCertificate } from './certs.js';
import type { CertificateInfo } from './types.js';

/**
 * A bounded memo (oldest out first) for pure functions of a PEM text. The results depend only on the
 * input, so sharing them between apps changes nothing they can observe.
 */
function memoizeByPem<T>(compute: (pem: string) => T, maxEntries = 256): (pem: string) => T {
  const entries = new Map<string, T>();
  return (pem) => {
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
