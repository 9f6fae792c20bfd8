import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('issuer', "Issuer is the profile's Issuer URL", 'SAML Core 2.3.3, 3.2.2; Profiles 4.1.4.2');

/**
 * The assertion's Issuer (required) and the Response's Issuer (optional, but when present it must
 * agree) equal the profile's Issuer URL — Entra's "Microsoft Entra Identifier".
 */
export const checkIssuer: Check = (ctx) => {
  const expected = ctx.profile?.issuerUrl;
  if (!expected) return check.skip('The profile has no Issuer URL to compare with.');
  const assertionIssuer = ctx.facts.assertion?.issuer ?? null;
  const responseIssuer = ctx.facts.issuer;
  if (ctx.facts.assertion && !assertionIssuer) return check.fail('SP_ISSUER_MISSING', { expected });
  const wrong = [
    responseIssuer !== null && responseIssuer !== expected ? `Response: ${responseIssuer}` : null,
    assertionIssuer !== null && assertionIssuer !== expected ? `Assertion: ${assertionIssuer}` : null,
  ].filter((x): x is string => x !== null);
  if (wrong.length > 0) return check.fail('SP_ISSUER_MISMATCH', { expected, received: wrong.join('; ') });
  if (!assertionIssuer && !responseIssuer) return check.fail('SP_ISSUER_MISSING', { expected });
  return check.pass('The Issuer matches the profile.', { expected, received: assertionIssuer ?? responseIssuer ?? '' });
};
