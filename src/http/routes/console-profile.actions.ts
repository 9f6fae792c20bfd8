/** Helpers of the console's profile form that are about presentation, not rules. */
import { describeCertificate, isCertificateValidAt } from '../../core/saml/certs.js';
import type { CertificateInfo } from '../../core/saml/types.js';

/** One row of the certificate table: the certificate described, or why it is not one. */
export type CertificateRow = { ok: true; info: CertificateInfo; validNow: boolean } | { ok: false; problem: string };

/** Describes each entry of the certificate box for the table beside it; a bad entry becomes a row that says so. */
export function describeCertificateRows(pems: readonly string[], now: Date): CertificateRow[] {
  return pems.map((pem) => {
    try {
      const info = describeCertificate(pem);
      return { ok: true, info, validNow: isCertificateValidAt(info, now) };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : 'not a certificate' };
    }
  });
}
