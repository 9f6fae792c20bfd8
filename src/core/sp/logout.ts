/**
 * Single logout at the mock Mimecast SP (SAML Profiles 4.4, HTTP-Redirect binding, Bindings 3.4),
 * SP-initiated: the LogoutRequest to the profile's Logout URL and the IdP's LogoutResponse coming
 * back to /logout/saml. The IdP-initiated direction is in logout-request.ts.
 *
 * The LogoutRequest ID is kept server-side in the pending-request store under `slo:<ID>`: a
 * separate id space, so a LogoutRequest ID can never satisfy an ACS InResponseTo (nor the reverse).
 */
import { AppError } from '../errors.js';
import { encodeRedirectBinding } from '../saml/bindings.js';
import { buildLogoutRequestXml } from '../saml/logout-messages.js';
import { buildSignedRedirectQuery, type RedirectParam, verifyRedirectSignature } from '../saml/redirect-signature.js';
import { type Account, type AuthProfile, buildAccountUrls } from './accounts.js';
import {
  checkLogoutDestination,
  checkLogoutInResponseTo,
  checkLogoutIssuer,
  checkLogoutSignature,
  checkLogoutStatus,
  type LogoutCheckContext,
  readLogoutMessage,
} from './checks/logout/index.js';
import type { SignedInSession, SpContext } from './context.js';
import { isSafeRelayPath } from './relay-state.js';
import type { CheckResult, Trace, TraceSummary } from './traces.js';

/** Where this SP receives logout messages (its SingleLogoutService in SP metadata). */
export const SP_LOGOUT_PATH = '/logout/saml';

/** The pending-store key of a LogoutRequest ID (answered by InResponseTo, SAML Core 3.2.2). */
export function buildLogoutPendingId(requestId: string): string {
  return `slo:${requestId}`;
}

/** This SP's logout URL, the Destination every logout message to it must name. */
export function buildSpLogoutUrl(ctx: SpContext): string {
  return `${ctx.settings.publicBaseUrl}${SP_LOGOUT_PATH}`;
}

/** How an SP-initiated logout goes on: to the IdP, or nowhere (the profile has no Logout URL). */
export type SpLogoutStart = { kind: 'redirect'; location: string; requestId: string; traceId: string } | { kind: 'local' };

/**
 * Starts SP-initiated single logout for a SAML session (SAML Profiles 4.4.3.1): a LogoutRequest
 * with the session's NameID (and Format) and SessionIndex, Issuer = the account's Identifier,
 * Destination = the profile's Logout URL, signed on the Redirect binding with the SP key. Its ID
 * is remembered for the answer and a trace is recorded. The caller ends the local session.
 */
export async function startSpLogout(ctx: SpContext, session: SignedInSession, relayState: string | null = null): Promise<SpLogoutStart> {
  const account = await ctx.stores.accounts.get(session.accountCode);
  const profile = account ? await ctx.stores.profiles.get(account.code) : null;
  if (!account || !profile?.logoutUrl) return { kind: 'local' };
  if (relayState !== null && !isSafeRelayPath(relayState)) throw new AppError('RELAY_STATE_UNSAFE');
  const now = ctx.clock.now();
  const requestId = ctx.ids.samlId();
  const xml = buildLogoutRequestXml({
    id: requestId,
    issuer: buildAccountUrls(account, ctx.settings.publicBaseUrl, profile.provider).identifier,
    destination: profile.logoutUrl,
    issueInstant: now,
    nameId: session.nameId,
    nameIdFormat: session.nameIdFormat,
    sessionIndex: session.sessionIndex,
  });
  await ctx.stores.pending.add({
    id: buildLogoutPendingId(requestId),
    accountCode: account.code,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.settings.pendingRequestTtlMs).toISOString(),
    relayState,
    requestedAuthnContexts: [],
  });
  const { location, message } = buildSignedLocation(ctx, profile.logoutUrl, 'SAMLRequest', xml, relayState);
  const trace = buildLogoutTrace(ctx, {
    kind: 'logout-request',
    outcome: 'sent',
    accountCode: account.code,
    raw: message,
    xml,
    relayState,
    checks: [],
    summary: { flow: 'sp-initiated', responseId: requestId, nameId: session.nameId },
  });
  await ctx.stores.traces.add(trace);
  return { kind: 'redirect', location, requestId, traceId: trace.id };
}

/** The IdP's LogoutResponse, judged: the local session was ended before it was sent, whatever it says. */
export interface LogoutResponseOutcome {
  ok: boolean;
  trace: Trace;
  /** A same-origin path to go on to, or null. */
  relayState: string | null;
}

/**
 * Receives the IdP's LogoutResponse at GET /logout/saml (SAML Profiles 4.4.3.4): decodes it safely,
 * then checks InResponseTo (a LogoutRequest this SP sent, answered once), Issuer, Destination, the
 * Redirect-binding signature and the status, and records a trace with every result.
 */
export async function consumeLogoutResponse(
  ctx: SpContext,
  input: { rawQuery: string; samlResponse: string; relayState: string | null },
): Promise<LogoutResponseOutcome> {
  const now = ctx.clock.now();
  const read = readLogoutMessage(input.samlResponse, 'LogoutResponse', ctx.settings.maxSamlBytes);
  const checks: CheckResult[] = [read.check];
  let accountCode: string | null = null;
  let relayState = isSafeRelayPath(input.relayState) ? input.relayState : null;
  const summary: TraceSummary = { flow: 'sp-initiated' };
  if (read.ok) {
    const { facts } = read;
    const pending = facts.inResponseTo ? await ctx.stores.pending.take(buildLogoutPendingId(facts.inResponseTo)) : null;
    const expired = pending !== null && Date.parse(pending.expiresAt) < now.getTime();
    const target = pending ? await loadTarget(ctx, pending.accountCode) : await findTargetByIssuer(ctx, facts.issuer);
    accountCode = target?.account.code ?? null;
    if (pending?.relayState && isSafeRelayPath(pending.relayState)) relayState = pending.relayState;
    const context = buildLogoutCheckContext(ctx, facts, target?.profile ?? null, input.rawQuery, 'SAMLResponse', false);
    checks.push(
      checkLogoutInResponseTo(facts, { found: pending !== null, expired }),
      checkLogoutIssuer(context),
      checkLogoutDestination(context),
      checkLogoutSignature(context),
      checkLogoutStatus(context),
    );
    Object.assign(summary, pickSummary(facts));
  }
  const trace = buildLogoutTrace(ctx, {
    kind: 'logout-response',
    accountCode,
    raw: input.samlResponse,
    xml: read.xml,
    relayState: input.relayState,
    checks,
    summary,
  });
  await ctx.stores.traces.add(trace);
  return { ok: trace.outcome === 'success', trace, relayState };
}

// --- shared with logout-request.ts ---------------------------------------------------------------

/** An account with its profile. */
export interface LogoutTarget {
  account: Account;
  profile: AuthProfile;
}

/** The account and profile for a code, or null. */
export async function loadTarget(ctx: SpContext, accountCode: string): Promise<LogoutTarget | null> {
  const account = await ctx.stores.accounts.get(accountCode);
  const profile = account ? await ctx.stores.profiles.get(account.code) : null;
  return account && profile ? { account, profile } : null;
}

/** The first account whose profile's Issuer URL is `issuer`, or null. */
export async function findTargetByIssuer(ctx: SpContext, issuer: string | null): Promise<LogoutTarget | null> {
  if (!issuer) return null;
  for (const profile of await ctx.stores.profiles.findByIssuer(issuer)) {
    const target = await loadTarget(ctx, profile.accountCode);
    if (target) return target;
  }
  return null;
}

/** The check context of one received message, its Redirect signature verified on the raw query. */
export function buildLogoutCheckContext(
  ctx: SpContext,
  facts: LogoutCheckContext['facts'],
  profile: AuthProfile | null,
  rawQuery: string,
  param: RedirectParam,
  signatureRequired: boolean,
): LogoutCheckContext {
  return {
    now: ctx.clock.now(),
    skewMs: ctx.settings.clockSkewMs,
    refuseSha1: ctx.settings.refuseSha1,
    facts,
    profile,
    expectedDestination: buildSpLogoutUrl(ctx),
    signature: verifyRedirectSignature(rawQuery, param, profile?.idpCertificates ?? []),
    signatureRequired,
  };
}

/** `location` plus a Redirect-binding query carrying `xml`, signed with the SP's signing key (SAML Bindings 3.4.4.1). */
export function buildSignedLocation(
  ctx: SpContext,
  location: string,
  param: RedirectParam,
  xml: string,
  relayState: string | null,
): { location: string; message: string } {
  const message = encodeRedirectBinding(xml);
  const query = buildSignedRedirectQuery({ param, message, relayState, key: ctx.keys.signingKey, algorithm: 'sha256' });
  return { location: `${location}${location.includes('?') ? '&' : '?'}${query}`, message };
}

/** The trace summary fields a logout message fills. */
export function pickSummary(facts: LogoutCheckContext['facts']): TraceSummary {
  const s: TraceSummary = {};
  if (facts.id) s.responseId = facts.id;
  if (facts.inResponseTo) s.inResponseTo = facts.inResponseTo;
  if (facts.issuer) s.issuer = facts.issuer;
  if (facts.nameId) s.nameId = facts.nameId.value;
  return s;
}

/** A Redirect-binding logout trace; outcome from the checks unless given ('sent'). */
export function buildLogoutTrace(
  ctx: SpContext,
  input: Pick<Trace, 'kind' | 'accountCode' | 'raw' | 'xml' | 'relayState' | 'checks' | 'summary'> & { outcome?: Trace['outcome'] },
): Trace {
  const failed = input.checks.find((c) => c.status === 'fail');
  const summary: TraceSummary = { ...input.summary };
  if (failed?.code) summary.firstFailure = failed.code;
  return {
    id: ctx.ids.uuid(),
    createdAt: ctx.clock.now().toISOString(),
    kind: input.kind,
    binding: 'HTTP-Redirect',
    accountCode: input.accountCode,
    outcome: input.outcome ?? (failed ? 'failure' : 'success'),
    raw: input.raw,
    xml: input.xml,
    relayState: input.relayState,
    checks: input.checks,
    summary,
  };
}
