/**
 * The mock Entra directory: tenants and their users, as the sign-in pages and the claims read them.
 * Pure: ids and time come in, nothing is stored here.
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import { foldAsciiCase } from '../saml/ascii-case.js';
import { isDomainName, isEmailAddress, MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH } from '../saml/email-address.js';
import type { EntraUser } from './claims.js';
import { buildFieldError, type FieldError } from './field-errors.js';

/** How a user proves who they are; drives the AuthnContextClassRef and AADSTS75011. */
export type AuthMethod = 'password' | 'multi-factor' | 'windows-integrated' | 'certificate';

export const AUTH_METHODS: readonly AuthMethod[] = ['password', 'multi-factor', 'windows-integrated', 'certificate'];

/** An Entra tenant: a GUID, its initial domain name and verified custom domains. */
export interface Tenant {
  tenantId: string;
  /** The initial domain, e.g. contoso.onmicrosoft.com. */
  name: string;
  /** Lower-case custom domains, e.g. contoso.com. */
  verifiedDomains: string[];
  createdAt: string;
}

/** A directory user (Entra's member user). */
export interface IdpUser extends EntraUser {
  tenantId: string;
  mail: string | null;
  authMethod: AuthMethod;
  /** "Account enabled"; absent on users stored before it existed (enabled). */
  accountEnabled?: boolean;
  /**
   * "Require this user to change password at next sign-in": true while the password is a temporary
   * one (every auto-generated password is); the sign-in then asks for a new password and
   * updateTemporaryPassword (temporary-password.ts) clears it. Absent or false otherwise.
   */
  passwordIsTemporary?: boolean;
  createdAt: string;
}

export interface NewTenantInput {
  name: string;
  tenantId?: string;
  verifiedDomains?: string[];
}

export interface NewUserInput {
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  givenName?: string;
  surname?: string;
  authMethod?: AuthMethod;
  objectId?: string;
  /** The password given is temporary: the user must change it at the next sign-in. */
  passwordIsTemporary?: boolean;
}

/**
 * The key a UPN or domain is compared by: trimmed, A–Z folded to a–z and nothing else. Entra treats
 * UPNs case-insensitively in ASCII; a Unicode fold would make "Kate" spelled with U+212A KELVIN SIGN
 * the same user as kate.
 */
export function normalizeUpn(upn: string): string {
  return foldAsciiCase(upn.trim());
}

/** Why a user principal name is refused: the console's field error codes. */
export type UpnProblem = 'required' | 'too-long' | 'invalid-upn';

// The console's rule, one character class anchored at both ends: linear, and the length is bounded first.
const UPN_LOCAL_CHARACTERS = /^[A-Za-z0-9'._!#^~-]+$/;

/**
 * Entra's rule for the user name before the @ (the console's "User principal name" field and the
 * API alike): A–Z, a–z, 0–9 and ' . - _ ! # ^ ~ only, at most 64 characters, no period first or last.
 */
export function readUpnLocalPartProblem(local: string): UpnProblem | null {
  if (local === '') return 'required';
  if (local.length > MAX_LOCAL_PART_LENGTH) return 'too-long';
  if (!UPN_LOCAL_CHARACTERS.test(local) || local.startsWith('.') || local.endsWith('.')) return 'invalid-upn';
  return null;
}

/** A whole UPN: a user name by readUpnLocalPartProblem, one @, and a DNS domain name. */
export function readUpnProblem(upn: string): UpnProblem | null {
  if (upn === '') return 'required';
  if (upn.length > MAX_EMAIL_LENGTH) return 'too-long';
  const at = upn.indexOf('@');
  if (at < 0 || upn.indexOf('@', at + 1) >= 0) return 'invalid-upn';
  const local = readUpnLocalPartProblem(upn.slice(0, at));
  if (local !== null) return local === 'required' ? 'invalid-upn' : local;
  return isDomainName(upn.slice(at + 1)) ? null : 'invalid-upn';
}

/** Builds a tenant with a fresh GUID unless one is given. */
export function buildTenant(input: NewTenantInput, deps: { ids: IdGenerator; clock: Clock }): Tenant {
  return {
    tenantId: foldAsciiCase(input.tenantId ?? deps.ids.uuid()),
    name: normalizeUpn(input.name),
    verifiedDomains: [...new Set((input.verifiedDomains ?? []).map(normalizeUpn))],
    createdAt: deps.clock.now().toISOString(),
  };
}

/** True when `nameOrId` is the tenant's id, initial domain or one of its verified domains (Entra accepts all three in URLs). */
export function matchTenant(tenant: Tenant, nameOrId: string): boolean {
  const wanted = normalizeUpn(nameOrId);
  return tenant.tenantId === wanted || tenant.name === wanted || tenant.verifiedDomains.includes(wanted);
}

/**
 * Builds a user of `tenant`. The UPN must pass the console's rule (IDP_UPN_INVALID) and its domain
 * must be the tenant's initial domain or a verified domain (IDP_UPN_DOMAIN_NOT_VERIFIED), as Entra's
 * "Create new user" enforces; the API and the console both come through here.
 */
export function buildUser(tenant: Tenant, input: NewUserInput, deps: { ids: IdGenerator; clock: Clock }): IdpUser {
  const upn = input.userPrincipalName.trim();
  const problem = readUpnProblem(upn);
  if (problem !== null) throw new AppError('IDP_UPN_INVALID', undefined, { details: { userPrincipalName: upn, problem } });
  // The console's Email rule (validateNewUserForm) holds for every caller, the JSON API too.
  if (input.mail !== undefined && input.mail !== null && input.mail !== '' && !isEmailAddress(input.mail)) {
    throw new AppError('IDP_MAIL_INVALID', undefined, { details: { mail: input.mail } });
  }
  const domain = normalizeUpn(upn.split('@')[1] ?? '');
  if (domain !== tenant.name && !tenant.verifiedDomains.includes(domain)) {
    throw new AppError('IDP_UPN_DOMAIN_NOT_VERIFIED', undefined, {
      details: { domain, allowed: [tenant.name, ...tenant.verifiedDomains] },
    });
  }
  const user: IdpUser = {
    tenantId: tenant.tenantId,
    userPrincipalName: upn,
    // A cloud-only user without a mailbox has no mail: Entra does not copy the UPN into it.
    mail: input.mail === undefined || input.mail === '' ? null : input.mail,
    objectId: input.objectId ?? deps.ids.uuid(),
    displayName: input.displayName,
    authMethod: input.authMethod ?? 'password',
    createdAt: deps.clock.now().toISOString(),
  };
  if (input.passwordIsTemporary === true) user.passwordIsTemporary = true;
  if (input.givenName !== undefined) user.givenName = input.givenName;
  if (input.surname !== undefined) user.surname = input.surname;
  return user;
}

/** "Account enabled" (Yes unless turned off). */
export function isAccountEnabled(user: IdpUser): boolean {
  return user.accountEnabled !== false;
}

/** The domains a UPN may end with: the initial domain, then the verified ones. */
export function listTenantDomains(tenant: Tenant): string[] {
  return [tenant.name, ...tenant.verifiedDomains.filter((d) => d !== tenant.name)];
}

/** "Create new user" as typed in the console. */
export interface NewUserForm {
  upnLocal: string;
  upnDomain: string;
  displayName: string;
  autoPassword: boolean;
  password: string;
  accountEnabled: boolean;
  authMethod: string;
  /** Properties › Contact information › Email; empty means no mail, as for a user without a mailbox. */
  mail?: string;
}

export const NEW_USER_MESSAGES = {
  required: 'The value must not be empty.',
  upnInvalid: "The user name can contain only letters, numbers and ' . - _ ! # ^ ~, and can't start or end with a period.",
  domainNotVerified: 'Choose one of the domains of this tenant.',
  tooLong: 'The value is too long.',
  weakPassword:
    'The password must be 8 to 256 characters long and use three of these: upper case letters, lower case letters, numbers and symbols.',
  authMethod: 'Choose one of the authentication methods.',
  mail: 'Enter an email address, such as alex@contoso.com.',
} as const;

const UPN_PROBLEM_MESSAGES: Record<UpnProblem, string> = {
  required: NEW_USER_MESSAGES.required,
  'too-long': NEW_USER_MESSAGES.tooLong,
  'invalid-upn': NEW_USER_MESSAGES.upnInvalid,
};

/** Entra's complexity rule: 8-256 characters from at least three of the four character classes. */
export function isPasswordComplex(password: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  return classes >= 3;
}

/** Checks "Create new user" before anything is stored; every refused field at once. */
export function validateNewUserForm(tenant: Tenant, form: NewUserForm): FieldError[] {
  const errors: FieldError[] = [];
  const upnProblem = readUpnLocalPartProblem(form.upnLocal.trim());
  if (upnProblem !== null) errors.push(buildFieldError('upnLocal', upnProblem, UPN_PROBLEM_MESSAGES[upnProblem]));
  if (!listTenantDomains(tenant).includes(normalizeUpn(form.upnDomain))) {
    errors.push(buildFieldError('upnDomain', 'domain-not-verified', NEW_USER_MESSAGES.domainNotVerified));
  }
  const name = form.displayName.trim();
  if (name === '') errors.push(buildFieldError('displayName', 'required', NEW_USER_MESSAGES.required));
  else if (name.length > 256) errors.push(buildFieldError('displayName', 'too-long', NEW_USER_MESSAGES.tooLong));
  if (!form.autoPassword && !isPasswordComplex(form.password))
    errors.push(buildFieldError('password', 'weak-password', NEW_USER_MESSAGES.weakPassword));
  const mail = form.mail?.trim() ?? '';
  if (mail !== '' && !isEmailAddress(mail)) errors.push(buildFieldError('mail', 'invalid-email', NEW_USER_MESSAGES.mail));
  if (!(AUTH_METHODS as readonly string[]).includes(form.authMethod))
    errors.push(buildFieldError('authMethod', 'invalid-choice', NEW_USER_MESSAGES.authMethod));
  return errors;
}

const PASSWORD_CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%*+-=?@^_~'] as const;

/**
 * "Auto-generate password": 16 characters with every character class, from the OS random source
 * (never the injected id generator, whose test values are predictable). Look-alikes are left out.
 */
export function generateUserPassword(): string {
  const all = PASSWORD_CLASSES.join('');
  const chars = PASSWORD_CLASSES.map((set) => set.charAt(randomInt(set.length)));
  while (chars.length < 16) chars.push(all.charAt(randomInt(all.length)));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/**
 * The form with its auto-generated password in place: the one it carries when that meets the rule,
 * else a new one. The page shows the value before Create, and Create uses exactly it.
 */
export function ensureGeneratedPassword(form: NewUserForm): NewUserForm {
  if (!form.autoPassword || isPasswordComplex(form.password)) return form;
  return { ...form, password: generateUserPassword() };
}
