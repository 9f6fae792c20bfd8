import { type Check, describeCheck } from './check-context.js';
import { hintForSignatureFailure } from './element-signature.js';

const check = describeCheck('signature', 'A verified signature covers the assertion used', 'SAML Core 5.4; Profiles 4.1.3.5; XML-DSig 3.2');

/**
 * A signature the SP verified itself covers the very assertion it consumes: on that assertion, or on
 * the Response whose direct child it is (or whose one EncryptedAssertion held it). No signature may
 * sit anywhere else in the message. Anything else — unsigned, wrapped, signed by a stranger, a
 * signature lifted from another document — fails; the two checks before this one say which
 * signature failed and why.
 */
export const checkSignature: Check = (ctx) => {
  const analysis = ctx.signatures;
  if (!analysis) return check.skip('No profile certificates to verify with (see "account").');
  const found = [analysis.response, analysis.assertion].filter((f) => f !== null);
  const signedParts = found.map((f) => f.on).join(' and ') || 'nothing';
  const expected = `a signature by ${analysis.trusted.map((c) => c.thumbprint).join(' or ')} covering the consumed assertion`;
  if (analysis.stray.length > 0) {
    return check.fail('SP_SIGNATURE_UNSUPPORTED', {
      expected,
      received: `${analysis.stray.join('; ')}: signatures belong only on the Response and the consumed assertion`,
    });
  }
  if (found.length === 0) {
    return check.fail('SP_SIGNATURE_MISSING', {
      expected,
      received:
        analysis.signatureCount > 0
          ? `${analysis.signatureCount} signature(s), none on the Response or the consumed assertion`
          : 'no signature',
    });
  }
  if (analysis.coversConsumedAssertion) {
    const verified = found
      .filter((f) => f.failure === null)
      .map((f) => `${f.on} verified by ${f.verifiedBy?.thumbprint}`)
      .join(', ');
    return check.pass(`Signed: ${signedParts}; ${verified}: reference, digest and SignatureValue checked by the SP.`, {
      expected,
      received: verified,
    });
  }
  const failed = found.find((f) => f.failure !== null);
  if (failed?.failure) {
    const hint = hintForSignatureFailure(ctx, failed.failure.code);
    return check.fail(failed.failure.code, { expected, received: `${failed.on}: ${failed.failure.reason}`, hint });
  }
  return check.fail('SP_SIGNATURE_NOT_COVERING_ASSERTION', {
    expected,
    received: `${signedParts} signed, but not over the consumed assertion`,
  });
};
