import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('audience', "Audience is the account's Identifier", 'SAML Core 2.5.1.4; Profiles 4.1.4.2');

/**
 * An AudienceRestriction names this account's Identifier in the form its profile's provider uses
 * (Entra: https://<r>-api.mimecast.com/sso/<CODE>). The hint recognises the common wrong values: the
 * other Identifier form, an `spn:<app id>` audience, another account's code. Every AudienceRestriction must name it.
 */
export const checkAudience: Check = (ctx) => {
  const a = ctx.facts.assertion;
  if (!a) return check.skip('No single assertion to read.');
  const expected = ctx.audiences[0];
  if (!expected) return check.skip('No account, so no Identifier to compare with.');
  const restrictions = a.conditions?.restrictions ?? [];
  const audiences = restrictions.flat();
  if (audiences.length === 0) return check.fail('SP_AUDIENCE_MISSING', { expected });
  const received = restrictions.map((r) => r.join(' | ')).join('; ');
  // Each AudienceRestriction is a separate condition that must hold on its own (SAML Core 2.5.1.4).
  const unmet = restrictions.filter((r) => !r.includes(expected));
  if (unmet.length === 0) return check.pass('The Audience is the account Identifier.', { expected, received });
  const wrong = unmet.flat();
  return check.fail('SP_AUDIENCE_MISMATCH', {
    expected,
    received,
    hint: explainAudience(wrong.length > 0 ? wrong : audiences, ctx.audiences),
    ...(unmet.length < restrictions.length
      ? { message: 'One AudienceRestriction names this account, another does not; every restriction must be met.' }
      : {}),
  });
};

function explainAudience(received: string[], forms: string[]): string {
  const [expected, other] = forms;
  const set = `In Entra › the Mimecast app › Single sign-on › Basic SAML Configuration, set Identifier (Entity ID) to ${expected}.`;
  if (other && received.includes(other)) {
    return `The Audience uses the other Mimecast Identifier form (${other}). ${set} (Or change the profile's Provider if this IdP is not Entra.)`;
  }
  if (received.some((r) => r.startsWith('spn:'))) {
    return `Entra sent its own application id (spn:…) because the app's Identifier does not match what was requested. ${set}`;
  }
  if (received.some((r) => /mimecast/i.test(r))) {
    return `The Audience is a Mimecast Identifier for another region or account code. ${set}`;
  }
  return set;
}
