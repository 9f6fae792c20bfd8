/**
 * Email address and domain name syntax, checked by single-pass scanners rather than regular
 * expressions: a pattern such as /^[^\s@]+@[^\s@]+\.[^\s@]+$/ backtracks quadratically on input like
 * "a@" + ".a".repeat(100_000), and one unsigned SAML response of that shape held the process for
 * over a minute. Every function here bounds the length first and then reads each character once.
 */

/** RFC 5321 4.5.3.1.3 path limit, less the angle brackets: the longest usable address. */
export const MAX_EMAIL_LENGTH = 254;
/** RFC 5321 4.5.3.1.1. */
export const MAX_LOCAL_PART_LENGTH = 64;
/** RFC 1035 2.3.4, written without the trailing dot. */
export const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/** Why a value is not an address; stable names for field errors and tests. */
export type EmailProblem =
  | 'empty'
  | 'too-long'
  | 'local-part-too-long'
  | 'no-at'
  | 'several-at'
  | 'empty-local-part'
  | 'empty-domain'
  | 'no-dot-in-domain'
  | 'forbidden-character';

/** What a caller refuses on top of the common rules. */
export interface EmailSyntax {
  /** ASCII characters refused anywhere, besides '@', whitespace and control characters. */
  forbidden?: string;
  /** Whether the domain needs a dot with something either side of it (default: yes). */
  domainDot?: boolean;
}

const AT = 0x40;
const DOT = 0x2e;
const HYPHEN = 0x2d;

/** The characters String.prototype.trim and /\s/ treat as white space (ECMA-262 WhiteSpace, LineTerminator). */
export function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/**
 * Checks `value` as a plain address: one '@', a non-empty local part of at most 64 characters, a
 * domain with a dot inside it (unless `syntax.domainDot` is false), no white space, control
 * characters or `syntax.forbidden` characters, at most 254 characters in all. Lengths count UTF-16
 * code units, which is never fewer than the characters a person sees. Returns null when it passes.
 */
export function readEmailProblem(value: string, syntax: EmailSyntax = {}): EmailProblem | null {
  if (value.length === 0) return 'empty';
  if (value.length > MAX_EMAIL_LENGTH) return 'too-long';
  const forbidden = syntax.forbidden ?? '';
  let at = -1;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === AT) {
      if (at >= 0) return 'several-at';
      at = i;
    } else if (isWhiteSpace(code) || isControl(code) || (code < 0x80 && forbidden.includes(value.charAt(i)))) {
      return 'forbidden-character';
    }
  }
  if (at < 0) return 'no-at';
  if (at === 0) return 'empty-local-part';
  if (at > MAX_LOCAL_PART_LENGTH) return 'local-part-too-long';
  if (at === value.length - 1) return 'empty-domain';
  if (syntax.domainDot !== false) {
    // A dot with at least one character of the domain before it and one after it.
    const dot = value.indexOf('.', at + 2);
    if (dot < 0 || dot === value.length - 1) return 'no-dot-in-domain';
  }
  return null;
}

/** True when `value` passes readEmailProblem with the same syntax. */
export function isEmailAddress(value: string, syntax: EmailSyntax = {}): boolean {
  return readEmailProblem(value, syntax) === null;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * A DNS host name of two labels or more, as a mail domain is written: ASCII letters, digits and
 * hyphens, labels of 1–63 characters that neither start nor end with a hyphen, a last label that
 * starts with a letter, at most 253 characters, no trailing dot. Either case is accepted; callers
 * fold with foldAsciiCase when they store it.
 */
export function isDomainName(value: string): boolean {
  if (value.length === 0 || value.length > MAX_DOMAIN_LENGTH) return false;
  let labels = 0;
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : DOT;
    if (code === DOT) {
      const length = i - start;
      if (length === 0 || length > MAX_LABEL_LENGTH) return false;
      if (value.charCodeAt(start) === HYPHEN || value.charCodeAt(i - 1) === HYPHEN) return false;
      labels++;
      if (i === value.length && !isAsciiLetter(value.charCodeAt(start))) return false;
      start = i + 1;
    } else if (!isAsciiLetter(code) && !isAsciiDigit(code) && code !== HYPHEN) {
      return false;
    }
  }
  return labels >= 2;
}
