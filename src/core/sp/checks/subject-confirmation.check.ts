import { SUBJECT_CONFIRMATION } from '../../saml/constants.js';
import { findBearerConfirmation } from './bearer.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('subject-confirmation', 'Subject is confirmed by bearer', 'SAML Profiles 4.1.4.2; Core 2.4.1.1');

/** At least one SubjectConfirmation uses the bearer method; holder-of-key or sender-vouches are not Web SSO. */
export const checkSubjectConfirmation: Check = (ctx) => {
  const assertion = ctx.facts.assertion;
  if (!assertion) return check.skip('No single assertion to read.');
  const expected = SUBJECT_CONFIRMATION.bearer;
  if (findBearerConfirmation(assertion)) return check.pass('A bearer SubjectConfirmation is present.', { expected, received: expected });
  if (assertion.confirmations.length === 0) return check.fail('SP_SUBJECT_CONFIRMATION_MISSING', { expected });
  return check.fail('SP_SUBJECT_CONFIRMATION_NOT_BEARER', {
    expected,
    received: assertion.confirmations.map((c) => c.method ?? '(none)').join(', '),
  });
};
