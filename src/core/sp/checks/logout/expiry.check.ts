import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';
import { parseSamlTime } from '../timestamps.check.js';
import type { LogoutCheckContext } from './logout-context.js';

const expiry = describeCheck('logout-expiry', 'LogoutRequest is not past its NotOnOrAfter', 'SAML Core 3.7.1');

/** NotOnOrAfter, when the IdP sets one, is still ahead of "now" within the skew. */
export function checkLogoutExpiry(ctx: LogoutCheckContext): CheckResult {
  const at = parseSamlTime(ctx.facts.notOnOrAfter);
  if (at === null) return expiry.pass('The request sets no NotOnOrAfter.');
  const received = ctx.facts.notOnOrAfter ?? '';
  if (Number.isNaN(at) || ctx.now.getTime() >= at + ctx.skewMs)
    return expiry.fail('SP_LOGOUT_EXPIRED', { expected: `after ${ctx.now.toISOString()}`, received });
  return expiry.pass('The request is within its NotOnOrAfter.', { received });
}
