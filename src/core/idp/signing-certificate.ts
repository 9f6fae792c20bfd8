/**
 * Which of an app's SAML signing certificates signs a token now. Entra signs with the active one,
 * except when it has expired and an inactive certificate is still valid: "If both an expired and an
 * inactive valid certificate exist, Microsoft Entra ID automatically utilizes the valid certificate"
 * (Entra's SAML certificate management tutorial). An SP that trusts only the old certificate then
 * fails every signature, which is the rehearsal this reproduces.
 */

import { describeCertificateCached } from '../saml/certificate-cache.js';
import { generateTestCertificate, isCertificateValidAt } from '../saml/certs.js';
import { type AppCertificate, type EnterpriseApp, selectActiveCertificate } from './apps.js';

function readValidity(cert: AppCertificate): { notBefore: string; notAfter: string } | null {
  try {
    const info = describeCertificateCached(cert.pem);
    return { notBefore: info.notBefore, notAfter: info.notAfter };
  } catch {
    return null;
  }
}

/**
 * The certificate Entra signs with at `now`: the active one while it is valid; once it has expired,
 * the inactive certificate valid at `now` that expires last, if any; else still the active one.
 */
export function selectSigningCertificate(app: EnterpriseApp, now: Date): AppCertificate {
  const active = selectActiveCertificate(app);
  const activeValidity = readValidity(active);
  if (activeValidity === null || Date.parse(activeValidity.notAfter) >= now.getTime()) return active;
  const fallback = app.certificates
    .filter((c) => c.id !== active.id)
    .map((c) => ({ cert: c, validity: readValidity(c) }))
    .filter((c) => c.validity !== null && isCertificateValidAt(c.validity, now))
    .sort((a, b) => Date.parse(b.validity?.notAfter ?? '') - Date.parse(a.validity?.notAfter ?? ''))[0];
  return fallback?.cert ?? active;
}

/** The subject Entra gives every SAML token signing certificate. */
export const ENTRA_SIGNING_CERT_CN = 'Microsoft Azure Federated SSO Certificate';
/** Where the mock marks its certificates as test-only, away from the CN an SP may look at. */
export const TEST_ONLY_OU = 'TEST ONLY - mock-mimecast';

/**
 * "New Certificate" as Entra makes it: CN=Microsoft Azure Federated SSO Certificate, valid 3 years
 * from `now`, self-signed, no extensions; the OU says it is a test certificate.
 */
export async function generateAppSigningCertificate(now: Date): Promise<{ pem: string; keyPem: string }> {
  const generated = await generateTestCertificate({
    commonName: ENTRA_SIGNING_CERT_CN,
    organizationalUnit: TEST_ONLY_OU,
    days: 3 * 365,
    notBefore: now,
    extensions: false,
  });
  return { pem: generated.certPem, keyPem: generated.keyPem };
}
