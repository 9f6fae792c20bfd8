/**
 * The mock Entra's SSO decisions, in Entra's order: before sign-in (request, app, reply URL), then
 * after sign-in (assignment, authentication context), then the response itself.
 *
 * Where an error goes, as Entra does it: 750054, 750056, 7500529, 700016 and 50011 are shown on
 * Entra's own error page (the reply URL is not trusted yet); 7000112, 50105 and 75011 are shown on
 * the error page as well (the user is stopped at Entra; for 75011 public reports from many SPs show
 * "Sorry, but we're having trouble signing you in." and nothing reaching the SP). 50058 (IsPassive,
 * nobody signed in) goes back to the SP as a SAML Response with StatusCode Requester/NoPassive and the
 * AADSTS text in StatusMessage. An empty Name ID source is no error: Entra sends a pairwise
 * persistent NameID instead (name-id.ts).
 */
import { AppError } from '../errors.js';
import { STATUS } from '../saml/constants.js';
import {
  buildAppDisabledError,
  buildAppNotFoundError,
  buildAuthnContextMismatchError,
  buildBadRequestIdError,
  buildNotAssignedError,
  buildReplyUrlMismatchError,
  buildTenantNotFoundError,
  decideAuthnContext,
  formatAadstsMessage,
  type SignInMethod,
} from './aadsts.js';
import { type EnterpriseApp, findAppByIdentifier, isAppEnabledForSignIn, isUserAllowed } from './apps.js';
import type { ParsedAuthnRequest } from './authn-request.js';
import { assertAuthnRequestSupported } from './authn-request-rules.js';
import type { IdpUser, Tenant } from './directory.js';
import type { IdpContext } from './idp-context.js';
import { decideNameId } from './name-id.js';
import { buildEntraResponse, type EntraResponseInput } from './response-builder.js';
import { selectSigningCertificate } from './signing-certificate.js';

/** A sign-in waiting for the user: everything needed to answer once they are known. */
export interface PendingSignIn {
  kind: 'sp' | 'idp';
  tenantId: string;
  appId: string;
  /** The AuthnRequest ID (InResponseTo); null when IdP-initiated. */
  requestId: string | null;
  acsUrl: string;
  audience: string;
  relayState: string | null;
  nameIdPolicyFormat: string | null;
  requestedAuthnContext: ParsedAuthnRequest['requestedAuthnContext'];
  forceAuthn: boolean;
  isPassive: boolean;
}

/** Who signed in, as the IdP session remembers it. */
export interface SignedInUser {
  tenantId: string;
  objectId: string;
  userPrincipalName: string;
  /** How this session authenticated (the user's own method after a password, or a passwordless stand-in). */
  authMethod: SignInMethod;
  /** ISO instant of the sign-in (AuthnInstant). */
  authnInstant: string;
}

/**
 * An app the browser signed in to during this IdP session, with what it was told (NameID and
 * SessionIndex): the session participant a LogoutRequest is sent to (SAML Core 3.7.3.2).
 */
export interface SessionParticipant {
  appId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string;
}

/** What the browser gets next: a form post to the SP, or Entra's error page. */
export type SignInOutcome =
  | {
      kind: 'post';
      acsUrl: string;
      samlResponse: string;
      relayState: string | null;
      xml: string;
      error: AppError | null;
      participant?: SessionParticipant;
    }
  | { kind: 'error-page'; error: AppError };

/** Finds a tenant by id or domain; AADSTS90002 otherwise. */
export async function resolveTenant(ctx: IdpContext, nameOrId: string): Promise<Tenant> {
  const tenant = await ctx.stores.tenants.find(nameOrId);
  if (!tenant) throw buildTenantNotFoundError(nameOrId);
  return tenant;
}

/**
 * Checks an SP-initiated AuthnRequest before anyone signs in (AADSTS7500529, 700016, 50011, in that
 * order) and returns the pending sign-in. Without AssertionConsumerServiceURL the default reply URL
 * answers, as Entra does.
 */
export async function beginSpInitiatedSignIn(
  ctx: IdpContext,
  tenant: Tenant,
  request: ParsedAuthnRequest,
  relayState: string | null,
): Promise<PendingSignIn> {
  if (/^[0-9]/.test(request.id)) throw buildBadRequestIdError(request.id);
  assertAuthnRequestSupported(request);
  const found = findAppByIdentifier(await ctx.stores.apps.list(tenant.tenantId), request.issuer ?? '');
  if (!found) throw buildAppNotFoundError(request.issuer ?? '', tenant.tenantId);
  const acsUrl = request.assertionConsumerServiceUrl ?? found.app.defaultReplyUrl;
  if (acsUrl === null || !found.app.replyUrls.includes(acsUrl)) throw buildReplyUrlMismatchError(found.app.appId, acsUrl ?? '');
  return {
    kind: 'sp',
    tenantId: tenant.tenantId,
    appId: found.app.appId,
    requestId: request.id,
    acsUrl,
    audience: found.identifier,
    relayState,
    nameIdPolicyFormat: request.nameIdPolicyFormat,
    requestedAuthnContext: request.requestedAuthnContext,
    forceAuthn: request.forceAuthn,
    isPassive: request.isPassive,
  };
}

/**
 * Starts IdP-initiated sign-in ("Test this application", a My Apps tile): the default reply URL,
 * the first identifier as audience, the app's Relay State. IDP_APP_NOT_FOUND, AADSTS50011 when the
 * app has no reply URL, AADSTS700016 when it has no identifier.
 */
export async function beginIdpInitiatedSignIn(ctx: IdpContext, appId: string): Promise<PendingSignIn> {
  const app = await ctx.stores.apps.get(appId);
  if (!app) throw new AppError('IDP_APP_NOT_FOUND', undefined, { details: { appId } });
  const audience = app.identifiers[0];
  if (audience === undefined) throw buildAppNotFoundError('', app.tenantId);
  if (app.defaultReplyUrl === null) throw buildReplyUrlMismatchError(app.appId, '');
  return {
    kind: 'idp',
    tenantId: app.tenantId,
    appId: app.appId,
    requestId: null,
    acsUrl: app.defaultReplyUrl,
    audience,
    relayState: app.relayState,
    nameIdPolicyFormat: null,
    requestedAuthnContext: null,
    forceAuthn: false,
    isPassive: false,
  };
}

function buildResponseInput(
  ctx: IdpContext,
  pending: PendingSignIn,
  app: EnterpriseApp,
  user: IdpUser | null,
): Omit<EntraResponseInput, 'user'> & { user: IdpUser | null } {
  const issueInstant = ctx.clock.now();
  const cert = selectSigningCertificate(app, issueInstant);
  return {
    tenantId: app.tenantId,
    destination: pending.acsUrl,
    audience: pending.audience,
    inResponseTo: pending.requestId,
    user,
    issueInstant,
    ids: { responseId: ctx.ids.samlId(), assertionId: ctx.ids.samlId() },
    signing: { key: cert.keyPem, cert: cert.pem, option: app.signingOption, algorithm: app.signingAlgorithm },
    ...(app.additionalClaims ? { additionalClaims: app.additionalClaims } : {}),
    // "Token encryption": Entra encrypts the assertion with the certificate the admin uploaded.
    ...(app.tokenEncryptionCertificate ? { encryption: { cert: app.tokenEncryptionCertificate } } : {}),
  };
}

/**
 * Builds a non-success Response for the SP as the sample in Entra's "Single sign-on SAML protocol"
 * doc shows it: no Destination, StatusCode `code` with the second-level `subCode`, and a
 * StatusMessage of the AADSTS text followed by Trace ID, Correlation ID and Timestamp lines; no
 * assertion (SAML Core 3.2.2).
 */
export function buildErrorOutcome(
  ctx: IdpContext,
  pending: PendingSignIn,
  app: EnterpriseApp,
  error: AppError,
  status: { code: string; subCode?: string },
): SignInOutcome {
  const input = buildResponseInput(ctx, pending, app, null);
  const placeholder = { userPrincipalName: '', objectId: '', displayName: '' };
  const message = formatErrorStatusMessage(error, ctx.ids.uuid(), ctx.ids.uuid(), input.issueInstant);
  const built = buildEntraResponse({ ...input, destination: null, user: placeholder, status: { ...status, message } });
  return { kind: 'post', acsUrl: pending.acsUrl, samlResponse: built.base64, relayState: pending.relayState, xml: built.xml, error };
}

/** "AADSTSnnnnn: text" then the trace lines, as Entra ends every StatusMessage. */
export function formatErrorStatusMessage(error: AppError, traceId: string, correlationId: string, at: Date): string {
  return `${formatAadstsMessage(error)}\nTrace ID: ${traceId}\nCorrelation ID: ${correlationId}\nTimestamp: ${at.toISOString()}`;
}

/** Answers IsPassive when nobody is signed in: AADSTS50058 with Requester/NoPassive (SAML Core 3.4.1). */
export async function buildPassiveFailure(ctx: IdpContext, pending: PendingSignIn): Promise<SignInOutcome> {
  const app = await ctx.stores.apps.get(pending.appId);
  if (!app) return { kind: 'error-page', error: new AppError('IDP_APP_NOT_FOUND') };
  return buildErrorOutcome(ctx, pending, app, new AppError('IDP_AADSTS50058'), { code: STATUS.requester, subCode: STATUS.noPassive });
}

/**
 * Finishes a sign-in once the user is known: AADSTS7000112, AADSTS50105 and AADSTS75011 (Entra's
 * error page; nothing is posted to the SP), then a success Response (NameID per name-id.ts) signed per
 * the app's Signing Option with its active certificate.
 */
export async function completeSignIn(ctx: IdpContext, pending: PendingSignIn, who: SignedInUser): Promise<SignInOutcome> {
  const app = await ctx.stores.apps.get(pending.appId);
  if (!app) return { kind: 'error-page', error: new AppError('IDP_APP_NOT_FOUND', undefined, { details: { appId: pending.appId } }) };
  const user = await ctx.stores.users.findByObjectId(app.tenantId, who.objectId);
  if (!user) return { kind: 'error-page', error: new AppError('IDP_USER_NOT_FOUND') };
  if (!isAppEnabledForSignIn(app)) return { kind: 'error-page', error: buildAppDisabledError(app.displayName, app.appId) };
  if (!isUserAllowed(app, user.objectId)) {
    return { kind: 'error-page', error: buildNotAssignedError(app.displayName, app.appId, user.userPrincipalName) };
  }
  const context = decideAuthnContext(who.authMethod, pending.requestedAuthnContext);
  if (!context.ok) {
    return { kind: 'error-page', error: buildAuthnContextMismatchError(who.authMethod, context.requested, app.displayName) };
  }
  const nameId = decideNameId({ ...app, policyFormat: pending.nameIdPolicyFormat }, user, ctx.ids);
  const input = buildResponseInput(ctx, pending, app, user);
  const built = buildEntraResponse({
    ...input,
    user,
    nameId: { value: nameId.value, format: nameId.format },
    authnContextClassRef: context.classRef,
    authnMethodsReferences: [...context.authnMethodsReferences],
    authnInstant: new Date(who.authnInstant),
  });
  const participant: SessionParticipant = {
    appId: app.appId,
    nameId: nameId.value,
    nameIdFormat: nameId.format,
    sessionIndex: built.assertionId,
  };
  return {
    kind: 'post',
    acsUrl: pending.acsUrl,
    samlResponse: built.base64,
    relayState: pending.relayState,
    xml: built.xml,
    error: null,
    participant,
  };
}
