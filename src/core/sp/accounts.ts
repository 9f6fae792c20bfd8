import { foldAsciiCase } from '../saml/ascii-case.js';
import { buildRegionBaseUrl, type RegionCode } from './regions.js';

/** A Mimecast customer account (one tenant of the SP). */
export interface Account {
  /** Upper case, e.g. CUK12A34. */
  code: string;
  region: RegionCode;
  name: string;
  /** Lower-case email domains that route sign-in to this account. */
  domains: string[];
  createdAt: string;
}

/** The IdP the authentication profile is set up for; it decides the Identifier form. */
export type ProviderKind = 'entra' | 'okta' | 'other';

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  entra: 'Microsoft Entra ID / Azure Active Directory',
  okta: 'Okta',
  other: 'Other',
};

/**
 * Mimecast's authentication profile, SAML part. One per account here: real Mimecast ties profiles to
 * groups through Application Settings; the harness applies the account's profile to every address.
 */
export interface AuthProfile {
  accountCode: string;
  description: string;
  enforceAdminConsole: boolean;
  enforcePersonalPortal: boolean;
  enforceEndUserApps: boolean;
  provider: ProviderKind;
  metadataUrl: string | null;
  monitorMetadataUrl: boolean;
  /** The IdP's entity ID (Entra: https://sts.windows.net/<tenant-id>/). */
  issuerUrl: string | null;
  /** Where SP-initiated AuthnRequests go (Entra: https://login.microsoftonline.com/<tenant-id>/saml2). */
  loginUrl: string | null;
  logoutUrl: string | null;
  /** PEM certificates the SP trusts for signatures, every one from the metadata. */
  idpCertificates: string[];
  usePasswordProtectedContext: boolean;
  useIntegratedAuthContext: boolean;
  /** Mimecast's "Allow Single Sign On": accept IdP-initiated responses. */
  allowSingleSignOn: boolean;
  /** How AuthnRequests are sent; Mimecast uses HTTP-POST. */
  requestBinding: 'post' | 'redirect';
  /**
   * Which certificates of "Identity Provider Certificate (Metadata)" verify signatures: every one
   * (`all`, the default) or the first only (`first`). Mimecast shows one field; whether it trusts every
   * certificate a metadata file lists is not documented (inferred), so `first` rehearses the strict case.
   */
  trustedMetadataCertificates: CertificateTrust;
  /**
   * Accept an EncryptedAssertion and decrypt it with this SP's key. Off by default: Mimecast's public
   * SSO documentation describes no encryption certificate (inferred: it does not decrypt).
   */
  acceptEncryptedAssertions: boolean;
  /**
   * The last metadata import looked tenant-wide (METADATA_TENANT_WIDE): the certificates are the
   * tenant's keys, not the app's, so a signature failure's hint says so. Absent on older profiles.
   */
  importedTenantWide?: boolean;
  /** A saved change sign-in does not use yet (the inferred apply delay, `sp.profileApplyDelaySeconds`). */
  pendingChange?: PendingProfileChange;
  updatedAt: string;
}

/** The settings sign-in used before a saved change, and when the change takes over (see profile-apply.ts). */
export interface PendingProfileChange {
  appliesAt: string;
  previous: Omit<AuthProfile, 'pendingChange'>;
}

/** Which metadata certificates a profile trusts. */
export type CertificateTrust = 'all' | 'first';

/** The certificates the profile verifies signatures with, per its trustedMetadataCertificates. */
export function selectTrustedCertificates(profile: Pick<AuthProfile, 'idpCertificates' | 'trustedMetadataCertificates'> | null): string[] {
  const all = profile?.idpCertificates ?? [];
  // Profiles stored before the option existed read as 'all'.
  return profile?.trustedMetadataCertificates === 'first' ? all.slice(0, 1) : all;
}

/** Mimecast administrator roles; an address holding any of them lands on the Administration Console. */
export const ADMIN_ROLES = ['Super Administrator', 'Full Administrator', 'Basic Administrator', 'Partner Administrator'] as const;

/** An address in an internal directory. */
export interface DirectoryUser {
  accountCode: string;
  /** Primary email address as entered; matching is case-insensitive. */
  email: string;
  globalName: string;
  forceChangeAtLogin: boolean;
  roles: string[];
  createdAt: string;
}

/** The values an Entra admin needs, derived from an account and this harness's own base URL. */
export interface AccountUrls {
  /** Identifier (Entity ID) for Entra: https://<r>-api.mimecast.com/sso/<CODE>. */
  entraIdentifier: string;
  /** Identifier for other IdPs: <r>-api.mimecast.com.<CODE>. */
  legacyIdentifier: string;
  /** The Identifier for the profile's provider. */
  identifier: string;
  /** Production Reply URL and Sign-on URL: https://<r>-api.mimecast.com/login/saml. */
  productionAcsUrl: string;
  /** This harness's ACS: <publicBaseUrl>/login/saml. */
  localAcsUrl: string;
  /** Where this harness starts SP-initiated sign-in for the account. */
  localSignOnUrl: string;
  localMetadataUrl: string;
}

const ACCOUNT_CODE = /^C[A-Z]{1,4}[0-9A-Z]{2,16}$/;

/** Mimecast account codes are upper case letters and digits starting with C (CUK…, CUSA…, CDE…). */
export function isValidAccountCode(code: string): boolean {
  return ACCOUNT_CODE.test(code);
}

/** Derives the Identifier and URLs for an account. `publicBaseUrl` has no trailing slash. */
export function buildAccountUrls(
  account: Pick<Account, 'code' | 'region'>,
  publicBaseUrl: string,
  provider: ProviderKind = 'entra',
): AccountUrls {
  const regionBase = buildRegionBaseUrl(account.region);
  const entraIdentifier = `${regionBase}/sso/${account.code}`;
  const legacyIdentifier = `${new URL(regionBase).host}.${account.code}`;
  return {
    entraIdentifier,
    legacyIdentifier,
    identifier: provider === 'entra' ? entraIdentifier : legacyIdentifier,
    productionAcsUrl: `${regionBase}/login/saml`,
    localAcsUrl: `${publicBaseUrl}/login/saml`,
    localSignOnUrl: `${publicBaseUrl}/sso/${account.code}`,
    localMetadataUrl: `${publicBaseUrl}/sso/${account.code}/metadata`,
  };
}

/** True when the address holds an administrator role. */
export function isAdministrator(user: Pick<DirectoryUser, 'roles'>): boolean {
  return user.roles.some((r) => (ADMIN_ROLES as readonly string[]).includes(r));
}

/** The email's domain with A–Z folded (nothing else), or null when it is not an address. */
export function readEmailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  return foldAsciiCase(email.slice(at + 1));
}

/** Whether the profile sends anyone through SAML at all. */
export function isSamlEnforced(profile: AuthProfile): boolean {
  return profile.enforceAdminConsole || profile.enforcePersonalPortal || profile.enforceEndUserApps;
}

/**
 * The switches as the Entra tutorial leaves them: SAML enforced, both context switches unticked
 * ("Make sure you uncheck Use Password protected Context and Use Integrated Authentication Context"),
 * Allow Single Sign On ticked so Entra's Test (IdP-initiated) signs in.
 */
export const TUTORIAL_PROFILE_SWITCHES = {
  enforceAdminConsole: true,
  enforcePersonalPortal: true,
  enforceEndUserApps: true,
  usePasswordProtectedContext: false,
  useIntegratedAuthContext: false,
  allowSingleSignOn: true,
} as const satisfies Partial<AuthProfile>;

/**
 * A new profile as "New Authentication Profile" opens it: both context switches ticked (Okta's
 * Mimecast guide: "By default both password protected and integrated contexts are used"; the Entra
 * tutorial says to untick them), Allow Single Sign On unticked, so IdP-initiated sign-in is refused
 * until it is ticked, and the Enforce switches unticked (inferred: not publicly documented).
 */
export function buildDefaultProfile(accountCode: string, now: Date): AuthProfile {
  return {
    accountCode,
    description: 'Entra ID SSO',
    enforceAdminConsole: false,
    enforcePersonalPortal: false,
    enforceEndUserApps: false,
    provider: 'entra',
    metadataUrl: null,
    monitorMetadataUrl: false,
    issuerUrl: null,
    loginUrl: null,
    logoutUrl: null,
    idpCertificates: [],
    usePasswordProtectedContext: true,
    useIntegratedAuthContext: true,
    allowSingleSignOn: false,
    requestBinding: 'post',
    trustedMetadataCertificates: 'all',
    acceptEncryptedAssertions: false,
    updatedAt: now.toISOString(),
  };
}
