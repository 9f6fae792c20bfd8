import { NAMEID_FORMAT } from '../../saml/constants.js';
import { isEmailAddress } from '../../saml/email-address.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('name-id', 'NameID is an email address', 'SAML Core 2.2.3, 8.3.2');

// Deliberately plain: one @, no spaces, angle brackets or other address punctuation, a dot in the
// domain, at most 254 characters. A scanner, not a pattern: the NameID is the attacker's text, and
// the pattern this replaced backtracked for minutes on one 200 kB value.
const EMAIL_SYNTAX = { forbidden: `<>()"',;:` };

// Entra's fallback when the Name ID source has no value; inferred from observed behaviour, since
// the docs only say that a requested persistent NameID is pairwise.
const PAIRWISE_HINT =
  'Entra sent a pairwise NameID because the Name ID source attribute (e.g. user.mail) is empty for this user: set the attribute or change the source. (Inferred: Entra falls back to a persistent pairwise NameID; an AuthnRequest asking for NameIDPolicy persistent gets one too.)';

/** An object id (8-4-4-4-12 hex digits) rather than an opaque pairwise value; plain string code. */
function isGuid(value: string): boolean {
  if (value.length !== 36) return false;
  return [...value].every((c, i) => ([8, 13, 18, 23].includes(i) ? c === '-' : '0123456789abcdefABCDEF'.includes(c)));
}

/**
 * The NameID exists and is an email address, since Mimecast matches users on their primary email.
 * A comment inside the NameID is reported: it is how the 2018 truncation attacks split a value.
 */
export const checkNameId: Check = (ctx) => {
  const a = ctx.facts.assertion;
  if (!a) return check.skip('No single assertion to read.');
  if (!a.nameId || a.nameId.value === '') return check.fail('SP_NAMEID_MISSING', { expected: 'an email address' });
  const { value, format, hasComment } = a.nameId;
  const received = `${value}${format ? ` (${format})` : ''}${hasComment ? ' [contains an XML comment]' : ''}`;
  if (!isEmailAddress(value, EMAIL_SYNTAX)) {
    const pairwise = format === NAMEID_FORMAT.persistent && !isGuid(value);
    return check.fail('SP_NAMEID_NOT_EMAIL', { expected: 'an email address', received, ...(pairwise ? { hint: PAIRWISE_HINT } : {}) });
  }
  const note =
    format && format !== NAMEID_FORMAT.emailAddress ? ` The Format is ${format}; Entra's default for Mimecast is emailAddress.` : '';
  return check.pass(`NameID ${value} is an email address.${note}`, { received });
};
