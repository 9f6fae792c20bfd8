/**
 * White space as XML defines it (XML 1.0 production S): space, tab, CR and LF, and nothing else.
 * `String.prototype.trim` also strips U+00A0, U+2000–U+200A, U+3000, U+FEFF and more, so a value
 * the IdP signed as "kate@contoso.com" followed by U+00A0 — another identity, as a look-alike is —
 * read as kate@contoso.com and signed in as her.
 */

/** True for the four XML white-space characters. */
export function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** `value` without XML white space at either end; every other character is kept. */
export function trimXmlSpace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isXmlSpace(value.charCodeAt(start))) start += 1;
  while (end > start && isXmlSpace(value.charCodeAt(end - 1))) end -= 1;
  return value.slice(start, end);
}
