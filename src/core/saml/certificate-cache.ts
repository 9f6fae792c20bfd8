import { createPublicKey, type KeyObject } from 'node:crypto';
import { describeCertificate } from './certs.js';
import type { CertificateInfo } from './types.js';

const MAX_ENTRIES = 256;
const described = new Map<string, CertificateInfo>();

/**
 * {@link describeCertificate} remembered by PEM text: the ACS describes the profile's certificates
 * on every response, and parsing X.509 each time is measurable. The result depends only on the input,
 * so sharing it between apps changes nothing they can observe; the map is bounded (oldest out first).
 */
export function describeCertificateCached(pem: string): CertificateInfo {
  const hit = described.get(pem);
  if (hit) return hit;
  const info = describeCertificate(pem);
  if (described.size >= MAX_ENTRIES) described.delete(described.keys().next().value as string);
  described.set(pem, info);
  return info;
}

const keys = new Map<string, KeyObject>();

/** The public key of a certificate (PEM), parsed once: verifying with a PEM string re-parses it each time. */
export function readPublicKeyCached(pem: string): KeyObject {
  const hit = keys.get(pem);
  if (hit) return hit;
  const key = createPublicKey(pem);
  if (keys.size >= MAX_ENTRIES) keys.delete(keys.keys().next().value as string);
  keys.set(pem, key);
  return key;
}
