import type { ErrorCode } from '../../errors.js';
import type { SignatureFinding } from '../signature-analysis.js';
import type { Check, CheckContext, describeCheck } from './check-context.js';

const TENANT_WIDE_HINT =
  "This profile's certificates were imported from Entra's tenant-wide federation metadata (no ?appid=): those are the tenant's keys, not the app's signing certificate. Import the App Federation Metadata Url from the Mimecast app's SAML Certificates section instead.";

/**
 * The hint for a signature failure: the catalogue's, unless the profile's certificates came from a
 * tenant-wide metadata import and the failure is an untrusted certificate or a SignatureValue that
 * does not verify — then the hint names that import as the likely cause.
 */
export function hintForSignatureFailure(ctx: CheckContext, code: ErrorCode): string | undefined {
  const tenantWide = ctx.profile?.importedTenantWide === true;
  return tenantWide && (code === 'SP_SIGNATURE_UNTRUSTED_CERT' || code === 'SP_SIGNATURE_VALUE_INVALID') ? TENANT_WIDE_HINT : undefined;
}

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
        hint: hintForSignatureFailure(ctx, finding.failure.code),
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
