import { REGION_HOSTS } from './regions.js';

const HOSTS = Object.values(REGION_HOSTS).map((h) => h.replace(/\./g, '\\.')).join('|');
// https://<region host>/sso/<CODE> (Entra form) or <region host>.<CODE> (other IdPs).
const IDENTIFIER = new RegExp(`^(?:https://(?:${HOSTS})/sso/([A-Za-z0-9]+)/?|(?:${HOSTS})\\.([A-Za-z0-9]+))$`);

/** The account code an Identifier names, in either Mimecast form, or null. */
export function readAccountCodeFromIdentifier(identifier: string): string | null {
  const m = IDENTIFIER.exec(identifier.trim());
  return m ? (m[1] ?? m[2] ?? '').toUpperCase() : null;
}
