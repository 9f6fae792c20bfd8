/**
 * Whether a RelayState may be followed after sign-in: a same-origin absolute path only. Absolute URLs,
 * protocol-relative `//host`, backslashes (browsers read `/\host` as `//host`) and control characters
 * are refused, so the ACS can never be used as an open redirect.
 */
export function isSafeRelayPath(value: string | null | undefined): value is string {
  if (!value || value.length > 512) return false;
  if (!value.startsWith('/') || value.startsWith('//')) return false;
  if (value.includes('\\')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  return !/[\u0000-\u001f\u007f]/.test(value);
}
