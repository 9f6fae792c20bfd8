import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('authn-statement', 'Assertion carries an AuthnStatement', 'SAML Profiles 4.1.4.2; Core 2.7.2');

/** The assertion used for Web Browser SSO states how and when the user authenticated. */
export const checkAuthnStatement: Check = (ctx) => {
  const a = ctx.facts.assertion;
  if (!a) return check.skip('No single assertion to read.');
  if (!a.authn) return check.fail('SP_AUTHN_STATEMENT_MISSING');
  return check.pass(
    `Authenticated at ${a.authn.authnInstant ?? '(no AuthnInstant)'}, session ${a.authn.sessionIndex ?? '(no SessionIndex)'}.`,
    {
      received: a.authn.classRef ?? '(no AuthnContextClassRef)',
    },
  );
};
