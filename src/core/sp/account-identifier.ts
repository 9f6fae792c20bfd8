import { upperAsciiCase } from '../saml/ascii-case.js';
import { REGION_HOSTS } from './regions.js';

const HOSTS: readonly string[] = Object.values(REGION_HOSTS);

function isAsciiAlphanumeric(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}

/**
 * The account code an Identifier names, in either Mimecast form, or null:
 * `https://<region host>/sso/<CODE>` (Entra form, one trailing slash allowed) or
 * `<region host>.<CODE>` (other IdPs). Read with prefix tests, so no pattern is built at run time.
 */
export function readAccountCodeFromIdentifier(identifier: string): string | null {
  const value = identifier.trim();
  for (const host of HOSTS) {
    const entra = `https://${host}/sso/`;
    if (value.startsWith(entra)) {
      const code = value.endsWith('/') ? value.slice(entra.length, -1) : value.slice(entra.length);
      return isAsciiAlphanumeric(code) ? upperAsciiCase(code) : null;
    }
    if (value.startsWith(`${host}.`)) {
      const code = value.slice(host.length + 1);
      return isAsciiAlphanumeric(code) ? upperAsciiCase(code) : null;
    }
  }
  return null;
}
