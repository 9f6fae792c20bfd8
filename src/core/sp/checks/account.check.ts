import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('account', 'The response belongs to a Mimecast account', 'SAML Core 3.2.2 (Issuer), 2.5.1.4 (Audience)');

/**
 * The account and its authentication profile were found — by the pending request the response answers,
 * else by the assertion's Audience, else by the Issuer — and the profile has IdP settings.
 */
export const checkAccount: Check = (ctx) => {
  const audience = ctx.facts.assertion?.conditions?.audiences.join(', ');
  if (!ctx.account) {
    return check.fail('SP_ACCOUNT_UNRESOLVED', {
      received: `Audience: ${audience || '(none)'}; Issuer: ${ctx.facts.issuer ?? ctx.facts.assertion?.issuer ?? '(none)'}`,
    });
  }
  if (!ctx.profile || ctx.profile.idpCertificates.length === 0) {
    return check.fail('SP_PROFILE_MISSING', { received: ctx.account.code });
  }
  const how = {
    'pending-request': 'by the request it answers (InResponseTo)',
    audience: 'by its Audience',
    issuer: 'by its Issuer (the Audience matched no account)',
    given: 'as given on the command line',
  }[ctx.resolvedBy ?? 'given'];
  return check.pass(`Account ${ctx.account.code} (${ctx.account.region}) found ${how}.`, { received: ctx.account.code });
};
