import { isSafeRelayPath } from '../relay-state.js';
import type { CheckResult } from '../traces.js';
import { describeCheck } from './check-context.js';

const check = describeCheck('relay-state', 'RelayState is a safe same-origin path', 'SAML Bindings 3.5.3; open-redirect defence');

/**
 * A RelayState posted with the response is followed only when it is a same-origin path; anything
 * else is ignored with a warning, never a redirect. Null when no RelayState came with the response.
 */
export function checkRelayState(relayState: string | null): CheckResult | null {
  if (!relayState) return null;
  return isSafeRelayPath(relayState)
    ? check.pass('The RelayState is followed after sign-in.', { received: relayState })
    : check.warn('RELAY_STATE_UNSAFE', { received: relayState, message: 'The RelayState is not a same-origin path, so it is ignored.' });
}
