/**
 * Small string helpers that replace patterns which backtrack: each reads its input once.
 */

const SLASH = 0x2f;

/**
 * `value` without the slashes it ends with. A loop rather than `replace(/\/+$/, '')`: that pattern
 * is tried from every slash of a run that is not at the end, so a long run of slashes followed by
 * anything else costs quadratic time.
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === SLASH) end--;
  return end === value.length ? value : value.slice(0, end);
}
