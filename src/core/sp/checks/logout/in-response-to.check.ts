import type { LogoutMessageFacts } from '../../../saml/logout-messages.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';

const inResponseTo = describeCheck(
  'logout-in-response-to',
  'InResponseTo answers a logout request this SP sent',
  'SAML Core 3.2.2; Profiles 4.4.4.2',
);

/** The LogoutResponse answers a live LogoutRequest this SP sent (kept server-side, answered once). */
export function checkLogoutInResponseTo(facts: LogoutMessageFacts, pending: { found: boolean; expired: boolean }): CheckResult {
  const received = facts.inResponseTo ?? '(none)';
  if (pending.found && !pending.expired) return inResponseTo.pass('The response answers the LogoutRequest this SP sent.', { received });
  return inResponseTo.fail('SP_LOGOUT_IN_RESPONSE_TO_UNKNOWN', {
    received,
    ...(pending.expired ? { message: 'The LogoutRequest it answers has expired.' } : {}),
  });
}
