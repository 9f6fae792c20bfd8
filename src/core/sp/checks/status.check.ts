import { STATUS } from '../../saml/constants.js';
import { describeIdpRefusal } from '../idp-refusal.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('status', 'Status is Success', 'SAML Core 3.2.2.2');

/**
 * The top-level StatusCode is urn:oasis:names:tc:SAML:2.0:status:Success (SAML Core 3.2.2.2). A
 * refusal reports the IdP's own words (Entra puts the AADSTS error in StatusMessage) and the setting
 * that fixes it, from idp-refusal.ts.
 */
export const checkStatus: Check = (ctx) => {
  const { code, subCode, message } = ctx.facts.status;
  if (!code) return check.fail('SP_STATUS_MISSING', { expected: STATUS.success });
  if (code === STATUS.success) return check.pass('The IdP reported Success.', { received: code });
  const refusal = describeIdpRefusal({ code, ...(subCode ? { subCode } : {}), ...(message ? { message } : {}) });
  const status = [refusal?.statusName, refusal?.subStatusName].filter(Boolean).join(' / ');
  return check.fail('SP_STATUS_NOT_SUCCESS', {
    expected: STATUS.success,
    received: [code, subCode, message].filter(Boolean).join(' | '),
    message: refusal?.headline
      ? `The IdP refused the sign-in (${status}): ${refusal.headline}`
      : `The IdP refused the sign-in (${status}).`,
    ...(refusal ? { hint: `${refusal.fix.setting} Where: ${refusal.fix.where}.` } : {}),
  });
};
