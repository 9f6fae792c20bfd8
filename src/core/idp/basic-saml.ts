/**
 * Basic SAML Configuration as the admin console edits it: the form's rows, Entra's rules on them,
 * and the settings patch a valid form becomes. Messages are kept together so they are easy to align
 * with the real portal's wording.
 */
import { describeError } from '../errors.js';
import { equalsAsciiCaseInsensitive, foldAsciiCase } from '../saml/ascii-case.js';
import type { AppSettingsPatch, EnterpriseApp } from './apps.js';
import { buildFieldError, type FieldError } from './field-errors.js';

/** The pane's fields as typed: rows may be empty, defaults are row numbers. */
export interface BasicSamlForm {
  identifiers: string[];
  /** Row of the default Identifier (the one IdP-initiated sign-in uses). */
  defaultIdentifier: number;
  replyUrls: string[];
  /** Row of the default Reply URL (the one IdP-initiated sign-in posts to). */
  defaultReplyUrl: number;
  signOnUrl: string;
  relayState: string;
  logoutUrl: string;
}

/** Entra keeps reply URLs to 256 characters (redirect URI limits); other values get a generous cap. */
export const REPLY_URL_MAX_LENGTH = 256;
const VALUE_MAX_LENGTH = 2048;

export const BASIC_SAML_MESSAGES = {
  required: 'The value must not be empty.',
  identifierInvalid: 'The identifier must be a URI, such as https://eu-api.mimecast.com/sso/<account code>.',
  urlInvalid: 'Enter a valid URL that starts with https:// (or http:// for localhost).',
  replyUrlScheme: 'Reply URLs must begin with the scheme https. http is allowed only for localhost (localhost, 127.0.0.1 or [::1]).',
  replyUrlTooLong: `A reply URL can be at most ${REPLY_URL_MAX_LENGTH} characters long.`,
  tooLong: `The value can be at most ${VALUE_MAX_LENGTH} characters long.`,
  duplicate: 'This value is already in the list.',
  identifierInUse: describeError('IDP_IDENTIFIER_IN_USE').message,
} as const;

/** The form for an app as saved: its rows, the first identifier and the default reply URL selected. */
export function buildBasicSamlForm(app: EnterpriseApp): BasicSamlForm {
  const replyDefault = app.defaultReplyUrl === null ? 0 : Math.max(0, app.replyUrls.indexOf(app.defaultReplyUrl));
  return {
    identifiers: [...app.identifiers],
    defaultIdentifier: 0,
    replyUrls: [...app.replyUrls],
    defaultReplyUrl: replyDefault,
    signOnUrl: app.signOnUrl ?? '',
    relayState: app.relayState ?? '',
    logoutUrl: app.logoutUrl ?? '',
  };
}

/** True for the hosts Entra lets a Reply URL reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = foldAsciiCase(hostname);
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}

/** An absolute URI: a scheme, a colon and something after it (https://…, urn:…, spn:…). */
function isAbsoluteUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

/** Refuses a value repeated in the rows (ASCII case-insensitive, as Entra compares identifiers). */
function checkDuplicates(field: string, rows: readonly string[], errors: FieldError[]): void {
  const seen = new Set<string>();
  rows.forEach((raw, index) => {
    const value = foldAsciiCase(raw.trim());
    if (value === '') return;
    if (seen.has(value)) errors.push(buildFieldError(field, 'duplicate', BASIC_SAML_MESSAGES.duplicate, index));
    seen.add(value);
  });
}

function checkIdentifierRows(rows: readonly string[], errors: FieldError[]): void {
  if (rows.every((r) => r.trim() === '')) errors.push(buildFieldError('identifiers', 'required', BASIC_SAML_MESSAGES.required, 0));
  rows.forEach((raw, index) => {
    const value = raw.trim();
    if (value === '') return;
    if (value.length > VALUE_MAX_LENGTH) errors.push(buildFieldError('identifiers', 'too-long', BASIC_SAML_MESSAGES.tooLong, index));
    else if (!isAbsoluteUri(value))
      errors.push(buildFieldError('identifiers', 'invalid-uri', BASIC_SAML_MESSAGES.identifierInvalid, index));
  });
  checkDuplicates('identifiers', rows, errors);
}

function checkReplyUrlRows(rows: readonly string[], errors: FieldError[]): void {
  if (rows.every((r) => r.trim() === '')) errors.push(buildFieldError('replyUrls', 'required', BASIC_SAML_MESSAGES.required, 0));
  rows.forEach((raw, index) => {
    const value = raw.trim();
    if (value === '') return;
    const url = parseHttpUrl(value);
    if (value.length > REPLY_URL_MAX_LENGTH)
      errors.push(buildFieldError('replyUrls', 'too-long', BASIC_SAML_MESSAGES.replyUrlTooLong, index));
    else if (url === null) errors.push(buildFieldError('replyUrls', 'invalid-url', BASIC_SAML_MESSAGES.urlInvalid, index));
    else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
      errors.push(buildFieldError('replyUrls', 'insecure-scheme', BASIC_SAML_MESSAGES.replyUrlScheme, index));
  });
  checkDuplicates('replyUrls', rows, errors);
}

function checkOptionalUrl(field: string, raw: string, errors: FieldError[]): void {
  const value = raw.trim();
  if (value === '') return;
  if (value.length > VALUE_MAX_LENGTH) errors.push(buildFieldError(field, 'too-long', BASIC_SAML_MESSAGES.tooLong));
  else if (parseHttpUrl(value) === null) errors.push(buildFieldError(field, 'invalid-url', BASIC_SAML_MESSAGES.urlInvalid));
}

/**
 * Checks the pane as Entra does before saving: at least one Identifier (each a URI) and one Reply
 * URL (https, or http on localhost only), no value twice, optional URLs valid when given. Every
 * problem is reported at once, each on its own field and row.
 */
export function validateBasicSamlForm(form: BasicSamlForm): FieldError[] {
  const errors: FieldError[] = [];
  checkIdentifierRows(form.identifiers, errors);
  checkReplyUrlRows(form.replyUrls, errors);
  checkOptionalUrl('signOnUrl', form.signOnUrl, errors);
  if (form.relayState.trim().length > VALUE_MAX_LENGTH) errors.push(buildFieldError('relayState', 'too-long', BASIC_SAML_MESSAGES.tooLong));
  checkOptionalUrl('logoutUrl', form.logoutUrl, errors);
  return errors;
}

/** The non-empty rows, trimmed, with the chosen default first (identifiers) or remembered (reply URLs). */
function pickRows(rows: readonly string[], defaultRow: number): { values: string[]; chosen: string | null } {
  const chosenRaw = rows[defaultRow]?.trim() ?? '';
  const values = rows.map((r) => r.trim()).filter((r) => r !== '');
  return { values, chosen: chosenRaw === '' ? (values[0] ?? null) : chosenRaw };
}

/** The settings a valid form saves; empty optional fields become null (cleared). */
export function buildBasicSamlPatch(form: BasicSamlForm): AppSettingsPatch {
  const ids = pickRows(form.identifiers, form.defaultIdentifier);
  const identifiers = ids.chosen === null ? ids.values : [ids.chosen, ...ids.values.filter((v) => v !== ids.chosen)];
  const replies = pickRows(form.replyUrls, form.defaultReplyUrl);
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    identifiers,
    replyUrls: replies.values,
    defaultReplyUrl: replies.chosen,
    signOnUrl: optional(form.signOnUrl),
    relayState: optional(form.relayState),
    logoutUrl: optional(form.logoutUrl),
  };
}

/** The row holding an identifier another app already has, for the error beside it. */
export function findIdentifierRow(form: BasicSamlForm, identifier: string): number {
  return Math.max(
    0,
    form.identifiers.findIndex((r) => equalsAsciiCaseInsensitive(r.trim(), identifier.trim())),
  );
}
