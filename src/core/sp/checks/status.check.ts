import { STATUS } from '../../saml/constants.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('status', 'Status is Success', 'SAML Core 3.2.2.2');

/** The top-level StatusCode is urn:oasis:names:tc:SAML:2.0:status:Success; Entra puts AADSTS errors in StatusMessage. */
export const checkStatus: Check = (ctx) => {
  const { code, subCode, message } = ctx.facts.status;
  if (!code) return check.fail('SP_STATUS_MISSING', { expected: STATUS.success });
  if (code === STATUS.success) return check.pass('The IdP reported Success.', { received: code });
  const aadsts = message?.match(/AADSTS\d+/)?.[0];
  return check.fail('SP_STATUS_NOT_SUCCESS', {
    expected: STATUS.success,
    received: [code, subCode, message].filter(Boolean).join(' | '),
    ...(aadsts ? { hint: `Entra refused the sign-in with ${aadsts}; its message says what to change in the Entra app.` } : {}),
  });
};
