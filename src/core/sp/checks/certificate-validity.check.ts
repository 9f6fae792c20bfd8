import { type Check, describeCheck } from './check-context.js';

const check = describeCheck(
  'certificate-validity',
  'Signing certificate is within its validity period',
  'SAML Metadata Interop 2.5 (keys, not PKI); RFC 5280 4.1.2.5',
);

/**
 * The certificate that verified the signature is not expired. As in Mimecast and Entra, the key is what
 * is trusted, so expiry is a warning that rollover is overdue, not a refusal.
 */
export const checkCertificateValidity: Check = (ctx) => {
  const s = ctx.signatures;
  const cert = s?.assertion?.verifiedBy ?? s?.response?.verifiedBy;
  if (!cert) return check.skip('No verified signature.');
  const received = `${cert.notBefore} – ${cert.notAfter}`;
  const now = ctx.now.getTime();
  if (now > Date.parse(cert.notAfter) || now < Date.parse(cert.notBefore)) {
    return check.warn('SP_SIGNATURE_CERT_EXPIRED', { expected: `valid at ${ctx.now.toISOString()}`, received });
  }
  return check.pass(`Certificate ${cert.thumbprint} is valid until ${cert.notAfter}.`, { received });
};
