/**
 * IdP-initiated single logout at the mock Mimecast SP (SAML Profiles 4.4.3.2-4.4.3.4): Entra, as
 * session authority, sends a LogoutRequest to the app's Logout Url over HTTP-Redirect; the SP
 * checks it, ends the matching local session and answers with a LogoutResponse to the profile's
 * Logout URL.
 *
 * What Entra does, and so what is checked: Entra signs the LogoutRequests (and LogoutResponses) it
 * sends on the Redirect binding (SigAlg + Signature, with the app's SAML signing certificate,
 * percent-escapes in lower case), so an unsigned LogoutRequest is refused here. Entra itself checks
 * no signature on what an SP sends; the SP signs its messages anyway, as SAML Profiles 4.4.4 asks.
 */
import { STATUS } from '../saml/constants.js';
import { buildLogoutResponseXml } from '../saml/logout-messages.js';
import { buildAccountUrls } from './accounts.js';
import {
  checkLogoutDestination,
  checkLogoutExpiry,
  checkLogoutIssuer,
  checkLogoutPrincipal,
  checkLogoutSignature,
  readLogoutMessage,
} from './checks/logout/index.js';
import type { SignedInSession, SpContext } from './context.js';
import {
  buildLogoutCheckContext,
  buildLogoutTrace,
  buildSignedLocation,
  findTargetByIssuer,
  type LogoutTarget,
  loadTarget,
  pickSummary,
} from './logout.js';
import type { CheckResult, Trace } from './traces.js';

/** What to do with a LogoutRequest from the IdP. */
export interface LogoutRequestOutcome {
  /** True when the local session is the one named and the request is trusted: end it. */
  endSession: boolean;
  /** Top-level status of the answer (Success, or Requester with a second-level code). */
  status: { code: string; subCode?: string };
  /** Where the browser goes with the LogoutResponse; null when there is nowhere trusted to send it. */
  location: string | null;
  /** The received request's report. */
  trace: Trace;
  /** The answer's trace, when one was sent. */
  answerTrace: Trace | null;
}

/** Checks whose failure means the request cannot be trusted at all (RequestDenied), not just "no such session". */
const TRUST_CHECKS = new Set(['payload', 'logout-issuer', 'logout-destination', 'logout-signature', 'logout-expiry']);

/**
 * Handles GET /logout/saml?SAMLRequest=… : decodes it safely; checks Issuer, Destination, the
 * Redirect-binding signature (required), NotOnOrAfter, and that NameID/SessionIndex name the
 * session signed in here; records a trace; and builds the signed LogoutResponse — Success, or
 * Requester/UnknownPrincipal when no matching session, or Requester/RequestDenied when untrusted.
 */
export async function consumeLogoutRequest(
  ctx: SpContext,
  input: { rawQuery: string; samlRequest: string; relayState: string | null; session: SignedInSession | null },
): Promise<LogoutRequestOutcome> {
  const read = readLogoutMessage(input.samlRequest, 'LogoutRequest', ctx.settings.maxSamlBytes);
  const checks: CheckResult[] = [read.check];
  let target: LogoutTarget | null = null;
  let requestId: string | null = null;
  const summary: Trace['summary'] = { flow: 'idp-initiated' };
  if (read.ok) {
    const { facts } = read;
    requestId = facts.id;
    target = await resolveTarget(ctx, facts.issuer, input.session);
    const context = buildLogoutCheckContext(ctx, facts, target?.profile ?? null, input.rawQuery, 'SAMLRequest', true);
    const session = input.session && target && input.session.accountCode === target.account.code ? input.session : null;
    checks.push(
      checkLogoutIssuer(context),
      checkLogoutDestination(context),
      checkLogoutSignature(context),
      checkLogoutExpiry(context),
      checkLogoutPrincipal(facts, session),
    );
    Object.assign(summary, pickSummary(facts));
  }
  const failed = checks.filter((c) => c.status === 'fail');
  const status =
    failed.length === 0
      ? { code: STATUS.success }
      : { code: STATUS.requester, subCode: failed.some((c) => TRUST_CHECKS.has(c.id)) ? STATUS.requestDenied : STATUS.unknownPrincipal };
  const trace = buildLogoutTrace(ctx, {
    kind: 'logout-request',
    accountCode: target?.account.code ?? null,
    raw: input.samlRequest,
    xml: read.xml,
    relayState: input.relayState,
    checks,
    summary,
  });
  await ctx.stores.traces.add(trace);
  const answer = target?.profile.logoutUrl && requestId ? await sendAnswer(ctx, target, requestId, status, input.relayState) : null;
  return { endSession: failed.length === 0, status, location: answer?.location ?? null, trace, answerTrace: answer?.trace ?? null };
}

/**
 * The account the request is for: the signed-in session's (its Issuer is then checked against that
 * profile), else the one whose profile's Issuer URL matches.
 */
async function resolveTarget(ctx: SpContext, issuer: string | null, session: SignedInSession | null): Promise<LogoutTarget | null> {
  const fromSession = session ? await loadTarget(ctx, session.accountCode) : null;
  if (fromSession && (fromSession.profile.issuerUrl === issuer || !issuer)) return fromSession;
  return (await findTargetByIssuer(ctx, issuer)) ?? fromSession;
}

async function sendAnswer(
  ctx: SpContext,
  target: LogoutTarget,
  inResponseTo: string,
  status: LogoutRequestOutcome['status'],
  relayState: string | null,
): Promise<{ location: string; trace: Trace }> {
  const destination = target.profile.logoutUrl as string;
  const id = ctx.ids.samlId();
  const xml = buildLogoutResponseXml({
    id,
    issuer: buildAccountUrls(target.account, ctx.settings.publicBaseUrl, target.profile.provider).identifier,
    destination,
    inResponseTo,
    issueInstant: ctx.clock.now(),
    status,
  });
  // RelayState from the IdP goes back unchanged (SAML Bindings 3.4.3); it is the IdP's, not a path here.
  const { location, message } = buildSignedLocation(ctx, destination, 'SAMLResponse', xml, relayState);
  const trace = buildLogoutTrace(ctx, {
    kind: 'logout-response',
    outcome: 'sent',
    accountCode: target.account.code,
    raw: message,
    xml,
    relayState,
    checks: [],
    summary: { flow: 'idp-initiated', responseId: id, inResponseTo },
  });
  await ctx.stores.traces.add(trace);
  return { location, trace };
}
