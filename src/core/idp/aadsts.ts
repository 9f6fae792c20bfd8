/**
 * Entra's AADSTS errors as the mock raises them (texts from Entra, with the same placeholders), and
 * the authentication-context rules behind AADSTS75011.
 */
import { AppError, describeError, type ErrorCode, fillTemplate } from '../errors.js';
import { AUTHN_CONTEXT, ENTRA_AUTHN_METHOD } from '../saml/constants.js';
import type { AuthMethod } from './directory.js';

/** The AADSTS number for a catalogue code (its `aadsts` entry), or null when Entra would show no AADSTS code. */
export function readAadstsNumber(code: ErrorCode): string | null {
  return describeError(code).aadsts ?? null;
}

/** "AADSTSnnnnn: <text>" as Entra prints it on its error page and in StatusMessage. */
export function formatAadstsMessage(err: AppError): string {
  const n = readAadstsNumber(err.code);
  return n === null ? err.message : `AADSTS${n}: ${err.message}`;
}

/** AADSTS750054: no SAMLRequest. */
export function buildMissingRequestError(): AppError {
  return new AppError('IDP_AADSTS750054');
}

/** AADSTS7500529: an ID that starts with a digit is not an NCName. */
export function buildBadRequestIdError(id: string): AppError {
  return new AppError('IDP_AADSTS7500529', fillTemplate('IDP_AADSTS7500529', { id }), { details: { id } });
}

/** AADSTS90002: the tenant in the URL does not exist. */
export function buildTenantNotFoundError(tenant: string): AppError {
  return new AppError('IDP_AADSTS90002', fillTemplate('IDP_AADSTS90002', { tenant }), { details: { tenant } });
}

/** AADSTS700016: the Issuer is no app's Identifier in this tenant. */
export function buildAppNotFoundError(identifier: string, tenantId: string): AppError {
  return new AppError('IDP_AADSTS700016', fillTemplate('IDP_AADSTS700016', { identifier, tenantId }), {
    details: { identifier, tenantId },
  });
}

/** AADSTS50011: the ACS URL is not one of the app's reply URLs. */
export function buildReplyUrlMismatchError(appId: string, replyUrl: string): AppError {
  return new AppError('IDP_AADSTS50011', fillTemplate('IDP_AADSTS50011', { appId, replyUrl }), { details: { appId, replyUrl } });
}

/** AADSTS7000112: "Enabled for users to sign-in?" is No. */
export function buildAppDisabledError(appName: string, appId: string): AppError {
  return new AppError('IDP_AADSTS7000112', fillTemplate('IDP_AADSTS7000112', { appId, appName }), { details: { appId } });
}

/** AADSTS50105: assignment required and the user is not assigned. */
export function buildNotAssignedError(appName: string, appId: string, upn: string): AppError {
  return new AppError('IDP_AADSTS50105', fillTemplate('IDP_AADSTS50105', { appName, appId, upn }), {
    details: { appId, userPrincipalName: upn },
  });
}

/**
 * How this browser session authenticated: a user's own method when they type a password (the
 * per-user `authMethod`), or one of the mock's stand-ins for a passwordless sign-in chosen on the
 * "Sign in" page — Windows Hello (a primary refresh token on a joined device), a FIDO2 security key,
 * a guest's emailed one-time passcode. AADSTS75011 follows the session's method, not the user.
 */
export type SignInMethod = AuthMethod | 'windows-hello' | 'security-key' | 'guest-otp';

/** The stand-ins offered on the "Sign in" page, in the order shown. */
export const PASSWORDLESS_METHODS: readonly SignInMethod[] = ['windows-hello', 'security-key', 'guest-otp'];

/** AADSTS75011: the method the user signed in with does not satisfy the RequestedAuthnContext. */
export function buildAuthnContextMismatchError(method: SignInMethod, requested: readonly string[], appName: string): AppError {
  const requestedText = requested.map(describeAuthnContextClass).join('; ');
  return new AppError(
    'IDP_AADSTS75011',
    fillTemplate('IDP_AADSTS75011', { method: AUTH_METHOD_PROFILES[method].entraName, requested: requestedText, appName }),
    { details: { method, requested } },
  );
}

interface MethodProfile {
  /** How Entra names the method in AADSTS75011. */
  entraName: string;
  /** The sign-in logs' "Authentication method" (Authentication Details). */
  logLabel: string;
  /** Class refs an exact RequestedAuthnContext may ask for and still be satisfied. */
  satisfies: readonly string[];
  /** The AuthnContextClassRef Entra reports when nothing was requested. */
  defaultClassRef: string;
  authnMethodsReferences: readonly string[];
}

/**
 * The context mapping table. A password sign-in stays a password sign-in when the user then
 * approves a push: it satisfies Password and PasswordProtectedTransport (public AADSTS75011 reports
 * name 'Password, ProtectedTransport' as a method that passes), while `authnmethodsreferences` still
 * carries multipleauthn. The real-world AADSTS75011 a Mimecast profile with "Use Password protected
 * Context" meets comes from passwordless sessions, e.g. Windows Hello ('X509, MultiFactor').
 */
export const AUTH_METHOD_PROFILES: Readonly<Record<SignInMethod, MethodProfile>> = {
  password: {
    entraName: 'Password, ProtectedTransport',
    logLabel: 'Password',
    satisfies: [AUTHN_CONTEXT.password, AUTHN_CONTEXT.passwordProtectedTransport, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.password,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.password],
  },
  'multi-factor': {
    entraName: 'MultiFactor, OneTimePasscode',
    logLabel: 'Password, Mobile app notification',
    satisfies: [AUTHN_CONTEXT.password, AUTHN_CONTEXT.passwordProtectedTransport, AUTHN_CONTEXT.multiFactor, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.password,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.password, ENTRA_AUTHN_METHOD.multiFactor],
  },
  'windows-integrated': {
    entraName: 'WindowsIntegrated',
    logLabel: 'Windows integrated authentication',
    satisfies: [AUTHN_CONTEXT.windows, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.windows,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.windows],
  },
  // The three stand-ins' method names are those public AADSTS75011 reports quote; their class refs
  // and amr values are inferred (Microsoft does not document them for SAML).
  'windows-hello': {
    entraName: 'X509, MultiFactor',
    logLabel: 'Windows Hello for Business',
    satisfies: [AUTHN_CONTEXT.x509, AUTHN_CONTEXT.multiFactor, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.x509,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.x509, ENTRA_AUTHN_METHOD.multiFactor],
  },
  'security-key': {
    entraName: 'MultiFactor, Fido',
    logLabel: 'FIDO2 security key',
    satisfies: [AUTHN_CONTEXT.multiFactor, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.multiFactor,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.multiFactor],
  },
  'guest-otp': {
    entraName: 'MultiFactor, OneTimePasscode',
    logLabel: 'Email one-time passcode',
    satisfies: [AUTHN_CONTEXT.multiFactor, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.multiFactor,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.multiFactor],
  },
  certificate: {
    entraName: 'X509, MultiFactor',
    logLabel: 'X.509 certificate',
    satisfies: [AUTHN_CONTEXT.x509, AUTHN_CONTEXT.unspecified],
    defaultClassRef: AUTHN_CONTEXT.x509,
    authnMethodsReferences: [ENTRA_AUTHN_METHOD.x509, ENTRA_AUTHN_METHOD.multiFactor],
  },
};

/** The sign-in logs' name for how a user authenticated. */
export function describeSignInMethod(method: SignInMethod): string {
  return AUTH_METHOD_PROFILES[method].logLabel;
}

const CLASS_NAMES: Readonly<Record<string, string>> = {
  [AUTHN_CONTEXT.password]: 'Password',
  [AUTHN_CONTEXT.passwordProtectedTransport]: 'Password, ProtectedTransport',
  [AUTHN_CONTEXT.windows]: 'WindowsIntegrated',
  [AUTHN_CONTEXT.x509]: 'X509',
  [AUTHN_CONTEXT.multiFactor]: 'MultiFactor',
  [AUTHN_CONTEXT.unspecified]: 'Unspecified',
};

/** Entra's short name for a class ref, or the URI itself for ones it does not know. */
export function describeAuthnContextClass(classRef: string): string {
  return CLASS_NAMES[classRef] ?? classRef;
}

/** The outcome of matching a sign-in method against a RequestedAuthnContext. */
export type AuthnContextDecision =
  | { ok: true; classRef: string; authnMethodsReferences: readonly string[] }
  | { ok: false; requested: string[] };

/**
 * Decides the AuthnContextClassRef (SAML Core 3.3.2.2.1). Only `exact` (the default) is enforced,
 * as Entra does; the first requested class the method satisfies is echoed back. Other comparisons,
 * or no request, get the method's own class.
 */
export function decideAuthnContext(
  method: SignInMethod,
  requested: { comparison: string; classRefs: string[] } | null,
): AuthnContextDecision {
  const profile = AUTH_METHOD_PROFILES[method];
  const own = { ok: true as const, classRef: profile.defaultClassRef, authnMethodsReferences: profile.authnMethodsReferences };
  if (!requested || requested.classRefs.length === 0) return own;
  const match = requested.classRefs.find((c) => profile.satisfies.includes(c));
  if (match !== undefined) return { ok: true, classRef: match, authnMethodsReferences: profile.authnMethodsReferences };
  return requested.comparison === 'exact' ? { ok: false, requested: requested.classRefs } : own;
}
