/**
 * Case folding for identities (email addresses, UPNs, domains, identifiers) that touches A–Z only.
 *
 * `toLowerCase`, `toUpperCase`, `normalize('NFKC')` and locale collations map characters outside
 * ASCII onto ASCII letters: U+212A KELVIN SIGN lowers to "k", U+017F LATIN SMALL LETTER LONG S uppers
 * to "S", U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lowers to "i" plus a combining dot. An address
 * compared through them lets "Kate@contoso.com" spelled with the Kelvin sign sign in as
 * kate@contoso.com. Mimecast and Entra treat addresses as case-insensitive in ASCII only, so every
 * identity comparison in this project goes through these two functions and nothing else.
 */

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;
const CASE_BIT = 0x20;

/** `value` with A–Z mapped to a–z; every other code unit, ASCII or not, is kept as it is. */
export function foldAsciiCase(value: string): string {
  return mapRange(value, UPPER_A, UPPER_Z, (code) => code | CASE_BIT);
}

/** `value` with a–z mapped to A–Z only (account codes); every other code unit is kept. */
export function upperAsciiCase(value: string): string {
  return mapRange(value, LOWER_A, LOWER_Z, (code) => code & ~CASE_BIT);
}

/**
 * `value` with each code unit in [low, high] mapped; runs outside the range are copied whole, and a
 * value with nothing to map is returned as it is (the test browser folds whole pages).
 */
function mapRange(value: string, low: number, high: number, map: (code: number) => number): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < low || code > high) continue;
    out += value.slice(copied, i) + String.fromCharCode(map(code));
    copied = i + 1;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

/** True when `a` and `b` are the same string once A–Z are folded; nothing outside ASCII is folded. */
export function equalsAsciiCaseInsensitive(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= UPPER_A && x <= UPPER_Z) x |= CASE_BIT;
    if (y >= UPPER_A && y <= UPPER_Z) y |= CASE_BIT;
    if (x !== y) return false;
  }
  return true;
}
