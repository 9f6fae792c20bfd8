/**
 * Single logout at the mock Entra (SAML Profiles 4.4, front-channel over HTTP-Redirect). Entra is
 * the session authority: when a participant (or the user, from My Apps) ends the session, every
 * other app the browser signed in to that has a Logout Url is sent a LogoutRequest in turn, each
 * answering back to /<tenant-id>/saml2; then the app that asked gets its LogoutResponse, or the
 * user sees Entra's "You signed out" page (SAML Core 3.7.3.2).
 */
import { STATUS } from '../saml/constants.js';
import { findAppByIdentifier } from './apps.js';
import type { ParsedLogoutRequest, ParsedLogoutResponse } from './authn-request.js';
import type { Tenant } from './directory.js';
import type { IdpContext } from './idp-context.js';
import { buildLogoutRequestXml, buildLogoutResponseXml, buildSignedRedirectUrl } from './logout-messages.js';
import type { SessionParticipant } from './sso.js';

export { buildLogoutRequestXml, buildLogoutResponseXml } from './logout-messages.js';

/** Second-level status when some participant did not confirm (SAML Core 3.2.2.2). */
const PARTIAL_LOGOUT = 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout';

/** What one participant answered. `status` is its top-level StatusCode, or null when none came. */
export interface LogoutResult {
  appId: string;
  displayName: string;
  status: string | null;
  /** False when the answer named another request than the one sent. */
  matched: boolean;
}

/** A logout in progress in one browser; kept in the IdP session between redirects. */
export interface LogoutChain {
  tenantId: string;
  /** Participants still to be sent a LogoutRequest, in sign-in order. */
  queue: SessionParticipant[];
  /** The LogoutRequest sent and not answered yet. */
  awaiting: { requestId: string; appId: string; displayName: string } | null;
  /** How the chain ends: a LogoutResponse to the app that asked, or Entra's signed-out page. */
  finish: { kind: 'respond'; appId: string; requestId: string; relayState: string | null } | { kind: 'signed-out' };
  results: LogoutResult[];
}

/** Where the browser goes next: on to an app (the chain waits for its answer), or the end. */
export type LogoutStep =
  | { kind: 'redirect'; location: string; xml: string; chain: LogoutChain | null }
  | { kind: 'signed-out'; results: LogoutResult[] };

/**
 * Starts logout for an SP's LogoutRequest: the other participants are told first, then the
 * requesting app (found by its Issuer) gets a LogoutResponse at its Logout Url. Entra does not check
 * a signature on the request (it has no SP certificate to check it with), nor does the mock; the
 * caller runs judgeLogoutRequest first (logout-request.ts), so that only a request from an app of
 * this tenant naming the session's principal ends the session.
 */
export async function beginSpLogout(
  ctx: IdpContext,
  tenant: Tenant,
  request: ParsedLogoutRequest,
  relayState: string | null,
  participants: readonly SessionParticipant[],
): Promise<LogoutChain> {
  const found = findAppByIdentifier(await ctx.stores.apps.list(tenant.tenantId), request.issuer ?? '');
  const requester = found?.app ?? null;
  return {
    tenantId: tenant.tenantId,
    queue: participants.filter((p) => p.appId !== requester?.appId),
    awaiting: null,
    finish: requester?.logoutUrl ? { kind: 'respond', appId: requester.appId, requestId: request.id, relayState } : { kind: 'signed-out' },
    results: [],
  };
}

/** Starts logout the user asked for at Entra (My Apps › Sign out): every participant is told, then Entra's page. */
export function beginIdpLogout(tenantId: string, participants: readonly SessionParticipant[]): LogoutChain {
  return { tenantId, queue: [...participants], awaiting: null, finish: { kind: 'signed-out' }, results: [] };
}

/**
 * Takes the next step of a chain: a signed LogoutRequest to the next participant with a Logout Url
 * (apps without one, or deleted since, are skipped: Entra has nowhere to send them), else the end.
 */
export async function advanceLogout(ctx: IdpContext, chain: LogoutChain): Promise<LogoutStep> {
  const queue = [...chain.queue];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const app = await ctx.stores.apps.get(next.appId);
    if (!app || app.tenantId !== chain.tenantId || !app.logoutUrl) continue;
    const requestId = ctx.ids.samlId();
    const xml = buildLogoutRequestXml({
      tenantId: chain.tenantId,
      id: requestId,
      destination: app.logoutUrl,
      issueInstant: ctx.clock.now(),
      nameId: next.nameId,
      nameIdFormat: next.nameIdFormat,
      sessionIndex: next.sessionIndex,
    });
    const location = buildSignedRedirectUrl(app.logoutUrl, 'SAMLRequest', xml, null, app, ctx.clock.now());
    return {
      kind: 'redirect',
      location,
      xml,
      chain: { ...chain, queue, awaiting: { requestId, appId: app.appId, displayName: app.displayName } },
    };
  }
  return finishLogout(ctx, chain);
}

async function finishLogout(ctx: IdpContext, chain: LogoutChain): Promise<LogoutStep> {
  const { finish } = chain;
  const app = finish.kind === 'respond' ? await ctx.stores.apps.get(finish.appId) : null;
  if (finish.kind !== 'respond' || !app?.logoutUrl) return { kind: 'signed-out', results: chain.results };
  const xml = buildLogoutResponseXml({
    tenantId: chain.tenantId,
    loginBaseUrl: ctx.settings.idpBaseUrl,
    id: ctx.ids.samlId(),
    inResponseTo: finish.requestId,
    destination: app.logoutUrl,
    issueInstant: ctx.clock.now(),
    // Partial logout when a participant did not confirm (SAML Core 3.7.3.2).
    ...(chain.results.every((r) => r.status === STATUS.success && r.matched)
      ? {}
      : { status: { code: STATUS.success, subCode: PARTIAL_LOGOUT } }),
  });
  return {
    kind: 'redirect',
    location: buildSignedRedirectUrl(app.logoutUrl, 'SAMLResponse', xml, finish.relayState, app, ctx.clock.now()),
    xml,
    chain: null,
  };
}

/**
 * Records a participant's LogoutResponse and clears the wait. An answer to another request is kept
 * as unmatched: the chain goes on, as Entra does not strand a browser mid-logout.
 */
export function acceptLogoutResponse(chain: LogoutChain, response: ParsedLogoutResponse): LogoutChain {
  const awaiting = chain.awaiting;
  if (awaiting === null) return chain;
  const result: LogoutResult = {
    appId: awaiting.appId,
    displayName: awaiting.displayName,
    status: response.statusCode,
    matched: response.inResponseTo === awaiting.requestId,
  };
  return { ...chain, awaiting: null, results: [...chain.results, result] };
}
