import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('single-assertion', 'Exactly one assertion', 'SAML Profiles 4.1.4.2; Core 3.3.3');

/**
 * A Success response carries exactly one assertion, as a direct child of the Response, and no other
 * assertion hides anywhere in the document (Extensions, ds:Object, nested) — the shape of injection and
 * wrapping attacks.
 */
export const checkSingleAssertion: Check = (ctx) => {
  const { directAssertions, allAssertions, encryptedAssertions } = ctx.facts;
  const received = `${directAssertions.length} direct, ${allAssertions.length} in the document, ${encryptedAssertions.length} still encrypted`;
  if (allAssertions.length === 0 && encryptedAssertions.length === 0)
    return check.fail('SP_ASSERTION_MISSING', { expected: '1', received });
  if (directAssertions.length === 1 && allAssertions.length === 1 && encryptedAssertions.length === 0) {
    return check.pass('One assertion, directly under the Response.', { expected: '1', received });
  }
  if (directAssertions.length === 0 && encryptedAssertions.length === 0) {
    return check.fail('SP_ASSERTION_MISSING', { expected: '1 direct child of Response', received });
  }
  return check.fail('SP_ASSERTION_COUNT', { expected: '1', received });
};
