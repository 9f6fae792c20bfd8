import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';
import type { LogoutCheckContext } from './logout-context.js';

const destination = describeCheck('logout-destination', "Destination is this SP's logout URL", 'SAML Bindings 3.4.5.2');

/** Destination, when present, is this SP's /logout/saml; a missing one is a warning. */
export function checkLogoutDestination(ctx: LogoutCheckContext): CheckResult {
  const expected = ctx.expectedDestination;
  const received = ctx.facts.destination;
  if (received === null) return destination.warn('SP_LOGOUT_DESTINATION_MISSING', { expected });
  if (received === expected) return destination.pass('The Destination is this logout URL.', { expected, received });
  return destination.fail('SP_LOGOUT_DESTINATION_MISMATCH', { expected, received });
}
