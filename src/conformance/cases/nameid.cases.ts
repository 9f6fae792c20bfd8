/**
 * NameID values that must cost nothing to refuse, or must match no one: a value shaped to make a
 * backtracking email pattern run for about a minute, and a look-alike address that Unicode case mapping
 * turns into an administrator's.
 */
import type { ConformanceCase } from '../types.js';

/**
 * About 200 kB that a backtracking `local@domain.tld` pattern tries to split at every dot, each
 * split retried over the whole rest, before the final `@` fails it: quadratic work or worse.
 */
export const BACKTRACKING_NAME_ID = `a@${'a.'.repeat(100_000)}@`;

/** KELVIN SIGN (U+212A) + "ate": looks like Kate, and JavaScript's toLowerCase() makes it "kate". */
export const LOOK_ALIKE_NAME_ID = '\u212Aate@contoso.com';
/** The administrator the look-alike imitates. */
export const LOOK_ALIKE_VICTIM = 'kate@contoso.com';

/** Pathological and look-alike NameIDs. */
export const nameIdCases: ConformanceCase[] = [
  {
    id: 'nameid-backtracking-pattern',
    title: 'An unsigned response whose NameID is 200 kB shaped to make a backtracking email pattern run for about a minute',
    reference: 'CWE-1333 (ReDoS); SAML Core 8.3.2',
    expected: 'refused',
    // Unsigned, because no IdP signs such a name: the headline is the missing signature. Every check
    // still runs, so the NameID check must refuse this quickly too.
    expectedCode: 'SP_SIGNATURE_MISSING',
    answerWithinMs: 1000,
    build: (kit) => ({ samlResponse: kit.respond({ nameId: { value: BACKTRACKING_NAME_ID }, signing: { option: 'none' } }).base64 }),
  },
  {
    id: 'nameid-look-alike-kelvin-sign',
    title:
      'A genuine signed assertion for the IdP account \u212Aate@contoso.com (KELVIN SIGN), while the directory holds the administrator kate@contoso.com',
    reference: 'CWE-178; Unicode TR #36 (case mapping collisions)',
    expected: 'refused',
    expectedCode: 'SP_USER_NOT_FOUND',
    build: (kit) => ({
      samlResponse: kit.respond({
        nameId: { value: LOOK_ALIKE_NAME_ID },
        user: { userPrincipalName: LOOK_ALIKE_NAME_ID, mail: LOOK_ALIKE_NAME_ID, displayName: 'Kate (look-alike)' },
      }).base64,
      before: (sp) => sp.addUser(LOOK_ALIKE_VICTIM),
    }),
  },
];
