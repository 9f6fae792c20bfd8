import { describeCheck, type Check } from './check-context.js';

const check = describeCheck('signature', 'Signature verifies and covers the assertion used', 'SAML Core 5.4; Profiles 4.1.3.5; XML-DSig 3.2');

/**
 * A signature made with one of the profile's Identity Provider Certificates verifies, and it covers
 * the very assertion the SP would consume — signed directly, or through a signature on the Response
 * whose direct child it is. Anything else (unsigned, wrapped, re-signed with a key from KeyInfo) fails.
 */
export const checkSignature: Check = (ctx) => {
  const analysis = ctx.signatures;
  if (!analysis) return check.skip('No profile certificates to verify with (see "account").');
  const found = [analysis.response, analysis.assertion].filter((f) => f !== null);
  const signedParts = found.map((f) => f.on).join(' and ') || 'nothing';
  const expected = `a signature by ${analysis.trusted.map((c) => c.thumbprint).join(' or ')} covering the consumed assertion`;
  if (found.length === 0) {
    return check.fail('SP_SIGNATURE_MISSING', {
      expected,
      received: analysis.signatureCount > 0 ? `${analysis.signatureCount} signature(s), none on the Response or the consumed assertion` : 'no signature',
    });
  }
  const problem = found.find((f) => f.structureProblem);
  if (problem && !analysis.coversConsumedAssertion) {
    return check.fail('SP_SIGNATURE_UNSUPPORTED', { expected, received: `${problem.on}: ${problem.structureProblem}` });
  }
  if (analysis.coversConsumedAssertion) {
    const finding = analysis.assertion?.verified ? analysis.assertion : analysis.response;
    const by = finding?.verifiedBy;
    const digest = finding?.digestCheckedBy === 'node-saml' ? 'digest verified by the node-saml gate on the same message' : 'digest verified here';
    return check.pass(`Signed: ${signedParts}. SignatureValue verified with the certificate ${by?.thumbprint} (${by?.subject}); ${digest}.`, {
      expected,
      received: `${signedParts} signed, verified by ${by?.thumbprint}`,
    });
  }
  const keyInfo = found.map((f) => f.keyInfoThumbprint).find((t) => t);
  const untrusted = keyInfo && !analysis.trusted.some((c) => c.thumbprint === keyInfo);
  if (untrusted) {
    return check.fail('SP_SIGNATURE_UNTRUSTED_CERT', { expected, received: `signed by a certificate with thumbprint ${keyInfo}` });
  }
  const verifiedElsewhere = found.some((f) => f.verified);
  if (verifiedElsewhere) return check.fail('SP_SIGNATURE_NOT_COVERING_ASSERTION', { expected, received: `${signedParts} signed` });
  return check.fail('SP_SIGNATURE_INVALID', { expected, received: `${signedParts} signed; the digest or signature value does not match` });
};
