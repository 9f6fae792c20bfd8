/**
 * What changed between the IdP settings a profile trusts and a fresh copy of the IdP's metadata:
 * the facts behind Mimecast's "Monitor Metadata URL". Pure: no stores, no clock.
 */
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../errors.js';
import { describeCertificate } from '../saml/certs.js';
import type { AuthProfile } from './accounts.js';

/** The profile fields a metadata import fills, and so the ones a monitored change can touch. */
export type MetadataSnapshot = Pick<AuthProfile, 'issuerUrl' | 'loginUrl' | 'logoutUrl' | 'idpCertificates'>;

/**
 * One kind of recorded event. "certificate-activated" means a certificate became the first one in
 * document order, which is where Entra lists its active signing certificate.
 */
export type MetadataEventKind =
  | 'certificate-added'
  | 'certificate-removed'
  | 'certificate-activated'
  | 'issuer-changed'
  | 'login-url-changed'
  | 'logout-url-changed'
  | 'fetch-failed';

export const METADATA_EVENT_KINDS: readonly MetadataEventKind[] = [
  'certificate-added',
  'certificate-removed',
  'certificate-activated',
  'issuer-changed',
  'login-url-changed',
  'logout-url-changed',
  'fetch-failed',
];

/** One change found by a diff. */
export interface MetadataChange {
  kind: Exclude<MetadataEventKind, 'fetch-failed'>;
  /** One sentence for the console and the API. */
  detail: string;
  /** SHA-1 thumbprint (Entra's form) for certificate events, null otherwise. */
  thumbprint: string | null;
}

/** A change or a failed check, as stored and listed by GET /api/accounts/{code}/metadata-events. */
export interface MetadataEvent {
  id: string;
  accountCode: string;
  /** ISO 8601, when the check ran. */
  at: string;
  kind: MetadataEventKind;
  detail: string;
  thumbprint: string | null;
  /** The catalogue code of a failed fetch or parse (fetch-failed only), null otherwise. */
  code: ErrorCode | null;
}

interface CertificateFacts {
  thumbprint: string;
  label: string;
}

/**
 * Thumbprint and a short label of a profile certificate. Profiles hold validated PEM; should one not
 * parse, a digest of its text still identifies it, so the diff never throws.
 */
function readCertificateFacts(pem: string): CertificateFacts {
  try {
    const info = describeCertificate(pem);
    return { thumbprint: info.thumbprint, label: `${info.thumbprint} (${info.subject}, valid until ${info.notAfter})` };
  } catch {
    const digest = createHash('sha1').update(pem.replace(/\s+/g, '')).digest('hex').toUpperCase();
    return { thumbprint: digest, label: `${digest} (not a readable certificate)` };
  }
}

function describeValue(value: string | null): string {
  return value === null ? '(none)' : value;
}

/**
 * Lists the changes from `before` (what the profile trusts) to `after` (what the metadata says now), in
 * a fixed order: certificates added (document order), removed, the newly active one, then Issuer URL,
 * Login URL and Logout URL. Certificates are compared by thumbprint, so re-encoded PEM is no change.
 */
export function diffProfileMetadata(before: MetadataSnapshot, after: MetadataSnapshot): MetadataChange[] {
  const old = before.idpCertificates.map(readCertificateFacts);
  const now = after.idpCertificates.map(readCertificateFacts);
  const oldPrints = new Set(old.map((c) => c.thumbprint));
  const newPrints = new Set(now.map((c) => c.thumbprint));
  const changes: MetadataChange[] = [];

  for (const cert of now) {
    if (!oldPrints.has(cert.thumbprint)) {
      changes.push({
        kind: 'certificate-added',
        thumbprint: cert.thumbprint,
        detail: `Signing certificate ${cert.label} was added to the metadata and is now trusted.`,
      });
    }
  }
  for (const cert of old) {
    if (!newPrints.has(cert.thumbprint)) {
      changes.push({
        kind: 'certificate-removed',
        thumbprint: cert.thumbprint,
        detail: `Signing certificate ${cert.label} is no longer in the metadata and is no longer trusted.`,
      });
    }
  }
  const first = now[0];
  if (first !== undefined && first.thumbprint !== old[0]?.thumbprint) {
    changes.push({
      kind: 'certificate-activated',
      thumbprint: first.thumbprint,
      detail: `Signing certificate ${first.label} is now listed first, where Entra puts its active certificate.`,
    });
  }

  const fields = [
    ['issuer-changed', 'issuerUrl', 'Issuer URL'],
    ['login-url-changed', 'loginUrl', 'Login URL'],
    ['logout-url-changed', 'logoutUrl', 'Logout URL'],
  ] as const;
  for (const [kind, field, label] of fields) {
    if (before[field] !== after[field]) {
      changes.push({
        kind,
        thumbprint: null,
        detail: `${label} changed from ${describeValue(before[field])} to ${describeValue(after[field])}.`,
      });
    }
  }
  return changes;
}
