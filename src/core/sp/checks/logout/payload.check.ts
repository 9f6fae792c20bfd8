import { decodeRedirectBinding } from '../../../saml/bindings.js';
import { type LogoutMessageFacts, readLogoutMessageFacts } from '../../../saml/logout-messages.js';
import { parseXmlSafely, XmlSafetyError } from '../../../saml/xml.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';

/** A decoded message, or the payload check that refused it. */
export type ReadLogoutMessage =
  | { ok: true; xml: string; facts: LogoutMessageFacts; check: CheckResult }
  | { ok: false; xml: string | null; check: CheckResult };

const payload = describeCheck('payload', 'Message decodes and parses safely', 'SAML Bindings 3.4.4.1; SAML Core 1.3');

/**
 * Decodes an HTTP-Redirect value (DEFLATE + base64, size limit) and parses it with the safe parser
 * (no DTD); the root must be `expected` (SP_LOGOUT_WRONG_ROOT otherwise).
 */
export function readLogoutMessage(value: string, expected: 'LogoutRequest' | 'LogoutResponse', maxBytes: number): ReadLogoutMessage {
  let xml: string | null = null;
  try {
    xml = decodeRedirectBinding(value, maxBytes);
    const facts = readLogoutMessageFacts(parseXmlSafely(xml, { maxBytes }));
    if (facts.kind !== expected) {
      return {
        ok: false,
        xml,
        check: payload.fail('SP_LOGOUT_WRONG_ROOT', { expected: `samlp:${expected}`, received: facts.kind ?? 'another element' }),
      };
    }
    return { ok: true, xml, facts, check: payload.pass(`A samlp:${expected} over HTTP-Redirect.`) };
  } catch (err) {
    if (err instanceof XmlSafetyError) return { ok: false, xml, check: payload.fail(err.code) };
    throw err;
  }
}
