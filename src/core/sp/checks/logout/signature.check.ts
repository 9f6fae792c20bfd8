import { describeCertificate } from '../../../saml/certs.js';
import { ALGORITHM } from '../../../saml/constants.js';
import { selectTrustedCertificates } from '../../accounts.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';
import type { LogoutCheckContext } from './logout-context.js';

const signature = describeCheck(
  'logout-signature',
  'Redirect-binding signature by a profile certificate',
  'SAML Bindings 3.4.4.1; Profiles 4.4.4.1',
);

/**
 * The SigAlg/Signature query parameters verify with one of the profile's Identity Provider
 * Certificates over the query as received. Unsigned fails for a LogoutRequest, warns for a
 * LogoutResponse (the local session is already over; only the report depends on it).
 */
export function checkLogoutSignature(ctx: LogoutCheckContext): CheckResult {
  const result = ctx.signature;
  const trusted = selectTrustedCertificates(ctx.profile ?? null);
  const expected = `a signature by ${trusted.map(readThumbprint).join(' or ') || 'a profile certificate'}`;
  if (result.status === 'unsigned')
    return ctx.signatureRequired ? signature.fail('SP_LOGOUT_UNSIGNED', { expected }) : signature.warn('SP_LOGOUT_UNSIGNED', { expected });
  if (result.status === 'verified') {
    const received = `${result.sigAlg}, verified by ${readThumbprint(result.certificate)}`;
    if (result.hash === 'sha1') {
      return ctx.refuseSha1
        ? signature.fail('SP_SIGNATURE_SHA1_REFUSED', { expected: ALGORITHM.rsaSha256, received })
        : signature.warn('SP_SIGNATURE_SHA1', { expected: ALGORITHM.rsaSha256, received });
    }
    return signature.pass('The query-string signature verifies with a profile certificate.', { expected, received });
  }
  return signature.fail('SP_LOGOUT_SIGNATURE_INVALID', {
    expected,
    received: `${result.reason}${result.sigAlg ? ` (${result.sigAlg})` : ''}`,
  });
}

function readThumbprint(pem: string): string {
  try {
    return describeCertificate(pem).thumbprint;
  } catch {
    return '(unreadable certificate)';
  }
}
