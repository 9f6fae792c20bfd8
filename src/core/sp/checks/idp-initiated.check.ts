import { findBearerConfirmation } from './bearer.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('idp-initiated', 'IdP-initiated sign-in is allowed', 'SAML Profiles 4.1.5 (unsolicited responses)');

/** An unsolicited response (no InResponseTo) is accepted only when the profile ticks "Allow Single Sign On". */
export const checkIdpInitiated: Check = (ctx) => {
  // Only the signed confirmation's InResponseTo makes a response solicited (see the in-response-to check).
  const solicited = findBearerConfirmation(ctx.facts.assertion)?.inResponseTo;
  if (solicited) return check.skip('SP-initiated: the response answers a request.');
  // An InResponseTo on the Response alone is judged by the in-response-to check (it must match the
  // confirmation's); it is still not an IdP-initiated sign-in to report as allowed.
  if (ctx.facts.inResponseTo)
    return check.skip('SP-initiated: the Response names the request it answers (see "InResponseTo answers a live request").');
  if (!ctx.profile) return check.skip('No profile to read "Allow Single Sign On" from.');
  if (ctx.profile.allowSingleSignOn)
    return check.pass('IdP-initiated, and the profile allows single sign-on.', { expected: 'Allow Single Sign On: on', received: 'on' });
  return check.fail('SP_IDP_INITIATED_DISABLED', { expected: 'Allow Single Sign On: on', received: 'off' });
};
