import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('replay', 'Assertion not used before', 'SAML Profiles 4.1.4.5');

/**
 * The result when this assertion passed every check but another sign-in consumed its ID a moment
 * earlier (two replicas, or a double POST): the consume is atomic, so exactly one of them wins.
 */
export function reportReplayRaceLost(assertionId: string) {
  return check.fail('SP_REPLAY', {
    received: assertionId,
    message: 'This assertion was used to sign in a moment ago, by another request.',
  });
}

/** The assertion's ID has not already been used to sign in (the SP keeps used IDs until they expire). */
export const checkReplay: Check = (ctx) => {
  const id = ctx.facts.assertion?.id;
  if (!ctx.facts.assertion) return check.skip('No single assertion to read.');
  if (!id) return check.fail('SP_ASSERTION_ID_MISSING');
  if (ctx.replaySeen === undefined) return check.skip('Used assertions are not known here (offline check).', { received: id });
  if (ctx.replaySeen) return check.fail('SP_REPLAY', { received: id });
  return check.pass('First use of this assertion.', { received: id });
};
