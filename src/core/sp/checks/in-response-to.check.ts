import { findBearerConfirmation } from './bearer.js';
import { describeCheck, type Check } from './check-context.js';

const check = describeCheck('in-response-to', 'InResponseTo answers a live request', 'SAML Profiles 4.1.4.2, 4.1.4.3; Core 3.2.2');

/**
 * For SP-initiated sign-in, InResponseTo (on the Response and on the bearer confirmation, which must
 * agree) names a request this SP sent for this account, not yet answered and not expired. An
 * IdP-initiated response has neither; whether that is allowed is the "idp-initiated" check.
 */
export const checkInResponseTo: Check = (ctx) => {
  const onResponse = ctx.facts.inResponseTo;
  const onConfirmation = findBearerConfirmation(ctx.facts.assertion)?.inResponseTo ?? null;
  if (onResponse && onConfirmation && onResponse !== onConfirmation) {
    return check.fail('SP_IN_RESPONSE_TO_INCONSISTENT', { expected: onResponse, received: onConfirmation });
  }
  const id = onResponse ?? onConfirmation;
  if (!id) return check.skip('IdP-initiated: the response answers no request.');
  if (ctx.pending === undefined) return check.skip(`Answers request ${id}; pending requests are not known here (offline check).`, { received: id });
  if (ctx.pending === null) return check.fail('SP_IN_RESPONSE_TO_UNKNOWN', { received: id });
  if (ctx.account && ctx.pending.accountCode !== ctx.account.code) {
    return check.fail('SP_IN_RESPONSE_TO_WRONG_ACCOUNT', { expected: ctx.account.code, received: `${id} (sent for ${ctx.pending.accountCode})` });
  }
  if (Date.parse(ctx.pending.expiresAt) <= ctx.now.getTime()) {
    return check.fail('SP_IN_RESPONSE_TO_EXPIRED', { expected: `answered before ${ctx.pending.expiresAt}`, received: id });
  }
  return check.pass(`Answers request ${id}, sent at ${ctx.pending.createdAt}.`, { received: id });
};
