import { STATUS } from '../../../saml/constants.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';
import type { LogoutCheckContext } from './logout-context.js';

const status = describeCheck('logout-status', 'The IdP reports a complete logout', 'SAML Core 3.2.2.2, 3.7.3.2');

/** StatusCode Success without a PartialLogout second-level code. */
export function checkLogoutStatus(ctx: LogoutCheckContext): CheckResult {
  const { code, subCode, message } = ctx.facts.status;
  const received = [code, subCode, message].filter(Boolean).join(' | ') || '(no StatusCode)';
  if (code === STATUS.success && subCode === null) return status.pass('The IdP ended its session too.', { received });
  return status.fail('SP_LOGOUT_STATUS_NOT_SUCCESS', { expected: STATUS.success, received });
}
