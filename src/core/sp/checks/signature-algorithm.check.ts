import { ALGORITHM } from '../../saml/constants.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('signature-algorithm', 'Signature algorithm is SHA-256', 'XML-DSig 6.4; SAML Core 5.4.5');

const SHA1 = new Set<string>([ALGORITHM.rsaSha1, ALGORITHM.sha1]);

/** RSA-SHA256 with SHA-256 digests; SHA-1 is a warning (Entra still offers it) or a failure under a strict policy. */
export const checkSignatureAlgorithm: Check = (ctx) => {
  const found = [ctx.signatures?.response, ctx.signatures?.assertion].filter((f) => f != null);
  if (found.length === 0) return check.skip('No signature to read the algorithm from.');
  const algorithms = [...new Set(found.flatMap((f) => [f.signatureAlgorithm ?? '(none)', f.digestAlgorithm ?? '(none)']))];
  const received = algorithms.join(', ');
  const expected = `${ALGORITHM.rsaSha256}, ${ALGORITHM.sha256}`;
  if (algorithms.some((a) => SHA1.has(a))) {
    return ctx.refuseSha1
      ? check.fail('SP_SIGNATURE_SHA1_REFUSED', { expected, received })
      : check.warn('SP_SIGNATURE_SHA1', { expected, received });
  }
  return check.pass('The signature uses SHA-256 or stronger.', { expected, received });
};
