import { AppError } from '../errors.js';
import { describeCertificate, isCertificateValidAt, normalizeCertificatePem } from '../saml/certs.js';
import type { CertificateInfo } from '../saml/types.js';
import type { AuthProfile } from './accounts.js';

/** A profile with its certificates described (thumbprint, subject, validity, valid now) for the API and console. */
export function describeProfile(
  profile: AuthProfile,
  now: Date,
): AuthProfile & { certificates: (CertificateInfo & { validNow: boolean })[] } {
  return {
    ...profile,
    certificates: profile.idpCertificates.map((pem) => {
      const info = describeCertificate(pem);
      return { ...info, validNow: isCertificateValidAt(info, now) };
    }),
  };
}

/**
 * Normalises pasted Identity Provider Certificates to PEM, refusing anything that is not one X.509
 * certificate and dropping exact duplicates; every bad entry is reported at once.
 */
export function validateProfileCertificates(pems: string[]): string[] {
  const problems: { path: string; problem: string }[] = [];
  const out: string[] = [];
  pems.forEach((pem, i) => {
    try {
      const normalised = normalizeCertificatePem(pem);
      if (!out.includes(normalised)) out.push(normalised);
    } catch (error) {
      problems.push({ path: `idpCertificates[${i}]`, problem: error instanceof Error ? error.message : 'not a certificate' });
    }
  });
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'An Identity Provider Certificate is not a valid X.509 certificate.', {
      details: problems,
      hint: "Paste Entra's 'Certificate (Base64)' download, or import the App Federation Metadata Url.",
    });
  }
  return out;
}
