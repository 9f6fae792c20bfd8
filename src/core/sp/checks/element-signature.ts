import type { SignatureFinding } from '../signature-analysis.js';
import type { Check, describeCheck } from './check-context.js';

/**
 * The rule shared by the Response and the Assertion signature checks: a signature that is present
 * must verify — reference, transforms, SignatureValue with a trusted certificate, digest — whether or
 * not another signature already covers the assertion. A failure names the element and the reason.
 */
export function buildElementSignatureCheck(on: SignatureFinding['on'], check: ReturnType<typeof describeCheck>): Check {
  const element = on === 'response' ? 'Response' : 'Assertion';
  return (ctx) => {
    const analysis = ctx.signatures;
    if (!analysis) return check.skip('No profile certificates to verify with (see "account").');
    const finding = analysis[on];
    if (!finding) return check.skip(`The ${element} carries no signature.`);
    const algorithm = finding.signatureAlgorithm ?? '(none)';
    if (finding.failure) {
      return check.fail(finding.failure.code, {
        expected: `a ${element} signature by ${analysis.trusted.map((c) => c.thumbprint).join(' or ')}`,
        received: `${element}: ${finding.failure.reason}`,
      });
    }
    const by = finding.verifiedBy;
    return check.pass(
      `The ${element} signature verifies: reference, transforms, digest and SignatureValue (${algorithm}) checked by the SP, with the certificate ${by?.thumbprint} (${by?.subject}).`,
      {
        received: `${element} signed, verified by ${by?.thumbprint}`,
      },
    );
  };
}
