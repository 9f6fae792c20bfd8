/**
 * Whether an SP's LogoutRequest may end this browser's session at the mock Entra (SAML Core 3.7.3,
 * Profiles 4.4.4.1). Entra checks no signature on it (it holds no SP certificate), so the request
 * must at least come from an app of the tenant whose endpoint it was sent to, and name the session
 * it wants ended. Anything that fails is refused before the session is touched.
 */

import { AppError } from '../errors.js';
import { equalsAsciiCaseInsensitive, foldAsciiCase } from '../saml/ascii-case.js';
import { trimTrailingSlashes } from '../text.js';
import { buildAppNotFoundError } from './aadsts.js';
import { type EnterpriseApp, findAppByIdentifier } from './apps.js';
import type { ParsedLogoutRequest } from './authn-request.js';
import { selectNameIdValue } from './claims.js';
import type { Tenant } from './directory.js';
import type { IdpContext } from './idp-context.js';
import type { SessionParticipant, SignedInUser } from './sso.js';

/** The browser's session as the judge needs it: who is signed in here, and the apps told so. */
export interface LogoutSessionView {
  /** The signed-in user of this tenant, or null. */
  user: SignedInUser | null;
  participants: readonly SessionParticipant[];
}

/**
 * What the request may do: end the session; end nothing because nobody is signed in to this
 * tenant here (the app is still answered); or end nothing because it names someone else.
 */
export type LogoutRequestVerdict =
  | { kind: 'end-session'; app: EnterpriseApp }
  | { kind: 'no-session'; app: EnterpriseApp }
  | { kind: 'principal-mismatch'; app: EnterpriseApp; error: AppError };

/** The tenant's SAML endpoint under each name it answers to (id, initial domain, verified domains), A–Z folded. */
function listTenantEndpoints(ctx: IdpContext, tenant: Tenant): Set<string> {
  const base = trimTrailingSlashes(ctx.settings.idpBaseUrl);
  return new Set([tenant.tenantId, tenant.name, ...tenant.verifiedDomains].map((name) => foldAsciiCase(`${base}/${name}/saml2`)));
}

/** True when `destination` is this tenant's endpoint: scheme, host, port and path, no query. */
function isTenantEndpoint(ctx: IdpContext, tenant: Tenant, destination: string): boolean {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return false;
  }
  if (url.search !== '' || url.hash !== '') return false;
  return listTenantEndpoints(ctx, tenant).has(foldAsciiCase(`${url.origin}${url.pathname}`));
}

/**
 * The NameIDs and SessionIndexes the requesting app may name: what it was given at sign-in when it
 * is a session participant; otherwise the NameID its claims would give the signed-in user, and any
 * SessionIndex of the session.
 */
async function readSessionPrincipal(
  ctx: IdpContext,
  app: EnterpriseApp,
  session: LogoutSessionView & { user: SignedInUser },
): Promise<{ nameIds: string[]; sessionIndexes: string[] }> {
  const participant = session.participants.find((p) => p.appId === app.appId);
  if (participant !== undefined) return { nameIds: [participant.nameId], sessionIndexes: [participant.sessionIndex] };
  const user = await ctx.stores.users.findByObjectId(app.tenantId, session.user.objectId);
  const nameId = user === null ? null : selectNameIdValue(app.nameIdSource, user);
  return { nameIds: nameId === null ? [] : [nameId], sessionIndexes: session.participants.map((p) => p.sessionIndex) };
}

/**
 * Entra's identifiers (UPN, mail, object id) compare without regard to A–Z case and nothing else, so a
 * look-alike (U+212A KELVIN SIGN for K) names someone else; SessionIndexes compare exactly.
 */
function namesSession(request: ParsedLogoutRequest, principal: { nameIds: string[]; sessionIndexes: string[] }): boolean {
  const named = request.nameId ?? null;
  if (named === null || !principal.nameIds.some((n) => equalsAsciiCaseInsensitive(n, named))) return false;
  return request.sessionIndexes.length === 0 || request.sessionIndexes.some((s) => principal.sessionIndexes.includes(s));
}

/**
 * Judges an SP's LogoutRequest sent to `tenant`'s endpoint. Throws AADSTS700016 when its Issuer is
 * no Identifier of the tenant's apps (an app of another tenant included) and AADSTS75005 when its
 * Destination is present and not this tenant's endpoint; otherwise says what it may end. Only a
 * request naming the session's NameID for that app (and, when it gives SessionIndex, one of the
 * session's) ends it.
 */
export async function judgeLogoutRequest(
  ctx: IdpContext,
  tenant: Tenant,
  request: ParsedLogoutRequest,
  session: LogoutSessionView,
): Promise<LogoutRequestVerdict> {
  const found = findAppByIdentifier(await ctx.stores.apps.list(tenant.tenantId), request.issuer ?? '');
  if (!found) throw buildAppNotFoundError(request.issuer ?? '', tenant.tenantId);
  if (request.destination !== null && !isTenantEndpoint(ctx, tenant, request.destination)) {
    throw new AppError('IDP_AADSTS75005', undefined, {
      details: { reason: 'destination', destination: request.destination.slice(0, 512) },
    });
  }
  const { app } = found;
  const user = session.user;
  if (user === null || user.tenantId !== tenant.tenantId) return { kind: 'no-session', app };
  if (!namesSession(request, await readSessionPrincipal(ctx, app, { ...session, user }))) {
    return {
      kind: 'principal-mismatch',
      app,
      error: new AppError('IDP_LOGOUT_UNKNOWN_PRINCIPAL', undefined, { details: { appId: app.appId } }),
    };
  }
  return { kind: 'end-session', app };
}
