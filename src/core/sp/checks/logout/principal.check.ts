import { equalsAsciiCaseInsensitive } from '../../../saml/ascii-case.js';
import type { LogoutMessageFacts } from '../../../saml/logout-messages.js';
import type { SignedInSession } from '../../context.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';

const principal = describeCheck('logout-principal', 'NameID and SessionIndex name the signed-in session', 'SAML Core 3.7.3.1, 3.7.3.2');

/**
 * The NameID is the signed-in user's (emails compare case-insensitively, in ASCII only) and, when SessionIndex
 * values are given, one of them is the session's. Otherwise there is nothing here to end.
 */
export function checkLogoutPrincipal(facts: LogoutMessageFacts, session: SignedInSession | null): CheckResult {
  const received = `${facts.nameId?.value ?? '(no NameID)'}${facts.sessionIndexes.length ? ` [${facts.sessionIndexes.join(', ')}]` : ''}`;
  if (session === null) return principal.fail('SP_LOGOUT_UNKNOWN_PRINCIPAL', { expected: 'a signed-in session in this browser', received });
  const expected = `${session.nameId}${session.sessionIndex ? ` [${session.sessionIndex}]` : ''}`;
  const sameUser = facts.nameId !== null && equalsAsciiCaseInsensitive(facts.nameId.value, session.nameId);
  const sameSession =
    facts.sessionIndexes.length === 0 || session.sessionIndex === null || facts.sessionIndexes.includes(session.sessionIndex);
  if (sameUser && sameSession) return principal.pass('The request names the session signed in here.', { expected, received });
  return principal.fail('SP_LOGOUT_UNKNOWN_PRINCIPAL', { expected, received });
}
