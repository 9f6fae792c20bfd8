/**
 * Enterprise applications created from the gallery's "Mimecast" template: Basic SAML Configuration,
 * SAML signing certificates, signing options and the Name ID claim, with Entra's rules on them.
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import { foldAsciiCase } from '../saml/ascii-case.js';
import { NAMEID_FORMAT } from '../saml/constants.js';
import type { AdditionalClaim } from './additional-claims.js';
import type { NameIdSource } from './claims.js';
import type { SigningOption } from './response-builder.js';
import type { SigningAlgorithmName } from './saml-names.js';

/** One token signing certificate of an app; exactly one is active. */
export interface AppCertificate {
  id: string;
  pem: string;
  keyPem: string;
  active: boolean;
  createdAt: string;
}

/** A SAML enterprise application (Entra's service principal plus its SSO settings). */
export interface EnterpriseApp {
  appId: string;
  tenantId: string;
  displayName: string;
  template: 'mimecast';
  /** Identifier (Entity ID); unique within the tenant. The first is used for IdP-initiated sign-in. */
  identifiers: string[];
  /** Reply URL (Assertion Consumer Service URL)s. */
  replyUrls: string[];
  /** The reply URL used for IdP-initiated sign-in; one of replyUrls. */
  defaultReplyUrl: string | null;
  signOnUrl: string | null;
  relayState: string | null;
  logoutUrl: string | null;
  certificates: AppCertificate[];
  /** Token signing option; Entra's default signs the assertion only. */
  signingOption: Exclude<SigningOption, 'none'>;
  signingAlgorithm: SigningAlgorithmName;
  nameIdSource: NameIdSource;
  nameIdFormat: string;
  /** Attributes & Claims › Additional claims; absent on apps stored before it existed (Entra's four). */
  additionalClaims?: AdditionalClaim[];
  /**
   * Token encryption: the SP's encryption certificate (PEM) when "Activate token encryption
   * certificate" is on, else null (Entra's default: tokens are signed, not encrypted).
   */
  tokenEncryptionCertificate: string | null;
  assignmentRequired: boolean;
  /**
   * "Enabled for users to sign-in?": No stops every sign-in after the user authenticates
   * (AADSTS7000112) and hides the My Apps tile. Absent on apps stored before it existed (Yes).
   */
  enabledForSignIn?: boolean;
  /** "Visible to users?": a My Apps tile for assigned users. Absent on apps stored before it existed (Yes). */
  visibleToUsers?: boolean;
  /** "Notification Email" of the signing certificates (expiry notices); absent or null when none. */
  notificationEmail?: string | null;
  /** Object ids of directly assigned users. */
  assignedUserIds: string[];
  createdAt: string;
}

/** The editable part of an app (Basic SAML Configuration, signing, claims, properties). */
export interface AppSettingsPatch {
  displayName?: string;
  identifiers?: string[];
  replyUrls?: string[];
  defaultReplyUrl?: string | null;
  signOnUrl?: string | null;
  relayState?: string | null;
  logoutUrl?: string | null;
  signingOption?: EnterpriseApp['signingOption'];
  signingAlgorithm?: SigningAlgorithmName;
  nameIdSource?: NameIdSource;
  nameIdFormat?: string;
  additionalClaims?: AdditionalClaim[];
  tokenEncryptionCertificate?: string | null;
  assignmentRequired?: boolean;
  enabledForSignIn?: boolean;
  visibleToUsers?: boolean;
  notificationEmail?: string | null;
}

export interface NewAppInput extends AppSettingsPatch {
  template: 'mimecast';
  appId?: string;
  /** The first token signing certificate (Entra creates one with the app). */
  certificate: { pem: string; keyPem: string };
}

/** Builds an app from the Mimecast gallery template with Entra's defaults, then applies `input`. */
export function buildMimecastApp(tenantId: string, input: NewAppInput, deps: { ids: IdGenerator; clock: Clock }): EnterpriseApp {
  const now = deps.clock.now().toISOString();
  const base: EnterpriseApp = {
    appId: input.appId ?? deps.ids.uuid(),
    tenantId,
    displayName: 'Mimecast',
    template: 'mimecast',
    identifiers: [],
    replyUrls: [],
    defaultReplyUrl: null,
    signOnUrl: null,
    relayState: null,
    logoutUrl: null,
    certificates: [{ id: deps.ids.uuid(), pem: input.certificate.pem, keyPem: input.certificate.keyPem, active: true, createdAt: now }],
    signingOption: 'assertion',
    signingAlgorithm: 'sha256',
    nameIdSource: 'user.userprincipalname',
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    tokenEncryptionCertificate: null,
    assignmentRequired: true,
    assignedUserIds: [],
    createdAt: now,
  };
  const { template: _t, appId: _a, certificate: _c, ...settings } = input;
  return applyAppSettings(base, settings);
}

/**
 * Applies a settings patch. Identifiers and reply URLs are de-duplicated; the default reply URL
 * stays one of the reply URLs (the first when unset or removed), as the portal's radio button keeps it.
 */
export function applyAppSettings(app: EnterpriseApp, patch: AppSettingsPatch): EnterpriseApp {
  const next: EnterpriseApp = { ...app };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  next.identifiers = [...new Set(next.identifiers.map((i) => i.trim()).filter(Boolean))];
  next.replyUrls = [...new Set(next.replyUrls.map((u) => u.trim()).filter(Boolean))];
  const explicitDefault = patch.defaultReplyUrl !== undefined && patch.defaultReplyUrl !== null;
  if (explicitDefault && next.defaultReplyUrl !== null && !next.replyUrls.includes(next.defaultReplyUrl)) {
    next.replyUrls.push(next.defaultReplyUrl);
  }
  if (next.defaultReplyUrl === null || !next.replyUrls.includes(next.defaultReplyUrl)) {
    next.defaultReplyUrl = next.replyUrls[0] ?? null;
  }
  return next;
}

/**
 * Refuses an identifier another app of the same tenant already has (IDP_IDENTIFIER_IN_USE, with
 * Entra's wording). Comparison ignores ASCII case, as Entra's uniqueness check does.
 */
export function assertIdentifiersUnique(candidate: EnterpriseApp, others: readonly EnterpriseApp[]): void {
  const taken = new Map<string, string>();
  for (const other of others) {
    if (other.appId === candidate.appId || other.tenantId !== candidate.tenantId) continue;
    for (const id of other.identifiers) taken.set(foldAsciiCase(id), other.appId);
  }
  for (const id of candidate.identifiers) {
    const owner = taken.get(foldAsciiCase(id));
    if (owner !== undefined) throw new AppError('IDP_IDENTIFIER_IN_USE', undefined, { details: { identifier: id, appId: owner } });
  }
}

/** The app whose Identifier equals `issuer` exactly (Entra matches the AuthnRequest Issuer exactly). */
export function findAppByIdentifier(apps: readonly EnterpriseApp[], issuer: string): { app: EnterpriseApp; identifier: string } | null {
  for (const app of apps) {
    const identifier = app.identifiers.find((i) => i === issuer);
    if (identifier !== undefined) return { app, identifier };
  }
  return null;
}

/** The certificate that signs tokens now. */
export function selectActiveCertificate(app: EnterpriseApp): AppCertificate {
  const active = app.certificates.find((c) => c.active) ?? app.certificates[0];
  if (!active) throw new AppError('IDP_CERTIFICATE_NOT_FOUND', 'The app has no signing certificate.');
  return active;
}

/** Adds a certificate as inactive, as "New Certificate" does in the SAML Signing Certificate pane. */
export function addAppCertificate(
  app: EnterpriseApp,
  cert: { pem: string; keyPem: string },
  deps: { ids: IdGenerator; clock: Clock },
): { app: EnterpriseApp; certificate: AppCertificate } {
  const certificate: AppCertificate = {
    id: deps.ids.uuid(),
    pem: cert.pem,
    keyPem: cert.keyPem,
    active: false,
    createdAt: deps.clock.now().toISOString(),
  };
  return { app: { ...app, certificates: [...app.certificates, certificate] }, certificate };
}

/** "Make certificate active": the chosen one becomes active, every other one inactive. */
export function activateAppCertificate(app: EnterpriseApp, certId: string): EnterpriseApp {
  if (!app.certificates.some((c) => c.id === certId)) throw new AppError('IDP_CERTIFICATE_NOT_FOUND', undefined, { details: { certId } });
  return { ...app, certificates: app.certificates.map((c) => ({ ...c, active: c.id === certId })) };
}

/** Assigns a user (idempotent). */
export function assignUser(app: EnterpriseApp, objectId: string): EnterpriseApp {
  return app.assignedUserIds.includes(objectId) ? app : { ...app, assignedUserIds: [...app.assignedUserIds, objectId] };
}

/** Removes a user's assignment (idempotent). */
export function unassignUser(app: EnterpriseApp, objectId: string): EnterpriseApp {
  return { ...app, assignedUserIds: app.assignedUserIds.filter((id) => id !== objectId) };
}

/** True when the user may sign in to the app (AADSTS50105 otherwise). */
export function isUserAllowed(app: EnterpriseApp, objectId: string): boolean {
  return !app.assignmentRequired || app.assignedUserIds.includes(objectId);
}

/** "Enabled for users to sign-in?" (Yes unless turned off). */
export function isAppEnabledForSignIn(app: EnterpriseApp): boolean {
  return app.enabledForSignIn !== false;
}

/** "Visible to users?" (Yes unless turned off). */
export function isAppVisibleToUsers(app: EnterpriseApp): boolean {
  return app.visibleToUsers !== false;
}

/** True once Basic SAML Configuration has an Identifier and a Reply URL: "Test" is greyed until then. */
export function isBasicSamlConfigured(app: EnterpriseApp): boolean {
  return app.identifiers.length > 0 && app.replyUrls.length > 0;
}

/**
 * Where a tile, the User access URL and "Test" take the browser: with a Sign on URL the app starts
 * SP-initiated sign-in there; without one Entra signs in IdP-initiated (a path on the mock Entra).
 */
export function decideLaunchTarget(app: EnterpriseApp): { mode: 'sp' | 'idp'; url: string } {
  if (app.signOnUrl !== null) return { mode: 'sp', url: app.signOnUrl };
  return { mode: 'idp', url: `/apps/${encodeURIComponent(app.appId)}/test` };
}
