import { readAccountCodeFromIdentifier } from '../account-identifier.js';
import { findBearerConfirmation } from './bearer.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('in-response-to', 'InResponseTo answers a live request', 'SAML Profiles 4.1.4.2, 4.1.4.3; Core 3.2.2');

/**
 * The result when this response answered a live request but another response took that request a
 * moment earlier: each request id is answered once, atomically.
 */
export function reportRequestRaceLost(requestId: string) {
  return check.fail('SP_IN_RESPONSE_TO_UNKNOWN', {
    received: requestId,
    message: 'The request was answered by another response a moment ago.',
  });
}

/**
 * For SP-initiated sign-in, InResponseTo (on the Response and on the bearer confirmation, which must
 * agree) names a request this SP sent for this account, not yet answered and not expired. An
 * IdP-initiated response has neither; whether that is allowed is the "idp-initiated" check.
 */
export const checkInResponseTo: Check = (ctx) => {
  const onResponse = ctx.facts.inResponseTo;
  const onConfirmation = findBearerConfirmation(ctx.facts.assertion)?.inResponseTo ?? null;
  // The confirmation's InResponseTo is signed with the assertion; the Response's is often unsigned. So a
  // Response-only InResponseTo must not make an unsolicited assertion look solicited, and when both
  // are present they must agree (SAML Profiles 4.1.4.2).
  if (onResponse && onResponse !== onConfirmation) {
    return check.fail('SP_IN_RESPONSE_TO_INCONSISTENT', {
      expected: `Response: ${onResponse ?? '(none)'}`,
      received: `SubjectConfirmationData: ${onConfirmation ?? '(none)'}`,
    });
  }
  const id = onConfirmation;
  if (!id) return check.skip('IdP-initiated: the response answers no request.');
  if (ctx.pending === undefined)
    return check.skip(`Answers request ${id}; pending requests are not known here (offline check).`, { received: id });
  if (ctx.pending === null) return check.fail('SP_IN_RESPONSE_TO_UNKNOWN', { received: id });
  const named = (ctx.facts.assertion?.conditions?.audiences ?? [])
    .map(readAccountCodeFromIdentifier)
    .filter((c): c is string => c !== null);
  const pendingAccount = ctx.pending.accountCode;
  if ((ctx.account && pendingAccount !== ctx.account.code) || (named.length > 0 && !named.includes(pendingAccount))) {
    return check.fail('SP_IN_RESPONSE_TO_WRONG_ACCOUNT', {
      expected: pendingAccount,
      received: `${id}, answered for ${named.join(', ') || ctx.account?.code}`,
    });
  }
  if (Date.parse(ctx.pending.expiresAt) <= ctx.now.getTime()) {
    return check.fail('SP_IN_RESPONSE_TO_EXPIRED', { expected: `answered before ${ctx.pending.expiresAt}`, received: id });
  }
  return check.pass(`Answers request ${id}, sent at ${ctx.pending.createdAt}.`, { received: id });
};
