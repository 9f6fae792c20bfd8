import type { AppError } from '../errors.js';
import { STATUS } from '../saml/constants.js';
import { type Account, type DirectoryUser, isAdministrator } from './accounts.js';
import { MAX_DETAIL_CHARS } from './checks/check-context.js';
import { reportRequestRaceLost } from './checks/in-response-to.check.js';
import { describePayloadFailure } from './checks/payload.check.js';
import { checkRelayState } from './checks/relay-state.check.js';
import { reportReplayRaceLost } from './checks/replay.check.js';
import { parseSamlTime } from './checks/timestamps.check.js';
import type { SignedInSession, SpContext } from './context.js';
import { type Evaluation, evaluateSamlResponse } from './evaluate.js';
import { isSafeRelayPath } from './relay-state.js';
import { resolveTarget } from './resolve-target.js';
import { type CheckResult, selectHeadlineFailure, type Trace } from './traces.js';

export type AcsOutcome = { ok: true; trace: Trace; session: SignedInSession } | { ok: false; trace: Trace };

/**
 * The Assertion Consumer Service: evaluates a posted SAMLResponse against every check, and when none
 * fails consumes the pending request and the assertion id (atomically, so a replay on another replica
 * loses the race), records the trace and returns the session to create.
 */
export async function consumeSamlResponse(
  ctx: SpContext,
  input: { samlResponse: string | undefined; relayState: string | null },
): Promise<AcsOutcome> {
  const { stores, settings, clock } = ctx;
  const now = clock.now();
  const evaluation = await evaluateSamlResponse(input.samlResponse, {
    now,
    clockFrozen: clock.frozen,
    validation: settings,
    decryptionKey: ctx.keys.encryptionKey,
    gate: ctx.nodeSamlGate,
    resolve: (facts, pending) => resolveTarget(stores, settings, facts, pending, now),
    findPending: (id) => stores.pending.get(id),
    isReplay: (id) => stores.replay.has(id),
    findUser: (code, email) => stores.directory.find(code, email),
  });
  const checks = [...evaluation.checks];
  const relay = checkRelayState(input.relayState);
  if (relay) checks.push(relay);
  const account = evaluation.target?.account ?? null;
  const user = evaluation.directoryUser ?? null;
  if (evaluation.ok && account && user) await consumeOnce(ctx, evaluation, checks);

  const failed = checks.find((c) => c.status === 'fail');
  const trace = buildTrace(ctx, evaluation, checks, input, now);
  if (failed || !account || !user) {
    await stores.traces.add(trace);
    return { ok: false, trace };
  }
  const session = buildSession(evaluation, account, user, trace, now, input.relayState);
  trace.summary.landing = session.landing;
  await stores.traces.add(trace);
  return { ok: true, trace, session };
}

/**
 * A post the ACS turned away before any message could be read: its body was no form this ACS takes
 * (another media type or charset, too large, too many fields, a broken encoding). It still leaves a
 * trace, with the refusal as its payload result and no account (so in the anonymous pool), and the
 * SSO log shows every request the ACS refused.
 */
export async function recordUnreadableAcsPost(ctx: SpContext, refusal: AppError): Promise<Trace> {
  const payload = describePayloadFailure(refusal);
  const trace: Trace = {
    id: ctx.ids.uuid(),
    createdAt: ctx.clock.now().toISOString(),
    kind: 'response',
    binding: 'HTTP-POST',
    accountCode: null,
    outcome: 'failure',
    raw: '',
    xml: null,
    relayState: null,
    checks: [payload],
    summary: { firstFailure: refusal.code },
  };
  await ctx.stores.traces.add(trace);
  return trace;
}

// Consumption happens only for a response that passed everything, so a failed attempt never burns a
// request id; `take` and `consume` are atomic in every store, so two replicas cannot both succeed.
async function consumeOnce(ctx: SpContext, evaluation: Evaluation, checks: CheckResult[]): Promise<void> {
  const { stores, settings, clock } = ctx;
  const assertion = evaluation.facts?.assertion;
  if (evaluation.pending && !(await stores.pending.take(evaluation.pending.id))) {
    replaceCheck(checks, 'in-response-to', reportRequestRaceLost(evaluation.pending.id));
    // The response that took the request owns its assertion id; consuming it here too would refuse both.
    return;
  }
  if (!assertion?.id) return;
  const until = parseSamlTime(assertion.conditions?.notOnOrAfter);
  const expiresAt = new Date(Math.max(until && !Number.isNaN(until) ? until : 0, clock.now().getTime() + 3_600_000) + settings.clockSkewMs);
  if (!(await stores.replay.consume(assertion.id, expiresAt))) {
    replaceCheck(checks, 'replay', reportReplayRaceLost(assertion.id));
  }
}

function replaceCheck(checks: CheckResult[], id: string, result: CheckResult): void {
  const at = checks.findIndex((c) => c.id === id);
  if (at >= 0) checks[at] = result;
  else checks.push(result);
}

function buildTrace(
  ctx: SpContext,
  evaluation: Evaluation,
  checks: CheckResult[],
  input: { samlResponse: string | undefined; relayState: string | null },
  now: Date,
): Trace {
  const facts = evaluation.facts;
  const failed = selectHeadlineFailure(checks);
  const inResponseTo = facts?.inResponseTo ?? undefined;
  const trace: Trace = {
    id: ctx.ids.uuid(),
    createdAt: now.toISOString(),
    kind: 'response',
    binding: 'HTTP-POST',
    accountCode: evaluation.target?.account?.code ?? null,
    outcome: failed ? 'failure' : 'success',
    raw: input.samlResponse ?? '',
    xml: evaluation.xml,
    relayState: input.relayState,
    checks,
    summary: {},
  };
  const s = trace.summary;
  if (facts) s.flow = inResponseTo ? 'sp-initiated' : 'idp-initiated';
  if (facts?.id) s.responseId = facts.id;
  if (facts?.assertion?.id) s.assertionId = facts.assertion.id;
  if (inResponseTo) s.inResponseTo = inResponseTo;
  const issuer = facts?.assertion?.issuer ?? facts?.issuer;
  if (issuer) s.issuer = issuer;
  if (facts?.assertion?.nameId) s.nameId = facts.assertion.nameId.value;
  if (evaluation.encrypted) s.encrypted = true;
  if (failed?.code) s.firstFailure = failed.code;
  const status = facts?.status;
  if (status?.code && status.code !== STATUS.success) {
    s.idpStatus = { code: status.code };
    if (status.subCode) s.idpStatus.subCode = status.subCode;
    if (status.message) s.idpStatus.message = status.message.slice(0, MAX_DETAIL_CHARS);
  }
  const resolvedBy = evaluation.target?.resolvedBy;
  if (resolvedBy && resolvedBy !== 'given') s.resolvedBy = resolvedBy;
  return trace;
}

function buildSession(
  evaluation: Evaluation,
  account: Account,
  user: DirectoryUser,
  trace: Trace,
  now: Date,
  relayState: string | null,
): SignedInSession {
  const assertion = evaluation.facts?.assertion;
  const admin = isAdministrator(user);
  return {
    accountCode: account.code,
    email: user.email,
    globalName: user.globalName,
    nameId: assertion?.nameId?.value ?? user.email,
    nameIdFormat: assertion?.nameId?.format ?? null,
    sessionIndex: assertion?.authn?.sessionIndex ?? null,
    issuer: assertion?.issuer ?? '',
    attributes: assertion?.attributes ?? [],
    authnContextClassRef: assertion?.authn?.classRef ?? null,
    isAdministrator: admin,
    landing: isSafeRelayPath(relayState) ? relayState : admin ? '/administration' : '/portal',
    traceId: trace.id,
    signedInAt: now.toISOString(),
    flow: trace.summary.flow ?? 'idp-initiated',
  };
}
