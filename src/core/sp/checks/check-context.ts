import { describeError, type ErrorCode } from '../../errors.js';
import type { Account, AuthProfile, DirectoryUser } from '../accounts.js';
import type { NodeSamlVerdict } from '../node-saml-gate.js';
import type { PendingRequest } from '../ports.js';
import type { ResponseFacts } from '../response-facts.js';
import type { SignatureAnalysis } from '../signature-analysis.js';
import type { CheckResult } from '../traces.js';

/**
 * What every check reads. Built once per response by the ACS (or by `mock-mimecast check`); the checks
 * are pure functions of it. `undefined` means "not knowable here" (offline check has no directory or
 * pending requests) and makes the check skip; `null` means "looked up and not found".
 */
export interface CheckContext {
  now: Date;
  skewMs: number;
  refuseSha1: boolean;
  facts: ResponseFacts;
  account: Account | null;
  profile: AuthProfile | null;
  resolvedBy: 'pending-request' | 'audience' | 'issuer' | 'given' | null;
  /** Identifier forms the account answers to: Entra form first, then the legacy form. */
  audiences: string[];
  /** ACS URLs this SP answers on: the local one, and the production one when accepted. */
  acsUrls: { local: string; production: string | null };
  signatures: SignatureAnalysis | null;
  pending: PendingRequest | null | undefined;
  replaySeen: boolean | undefined;
  directoryUser: DirectoryUser | null | undefined;
  nodeSaml: NodeSamlVerdict | undefined;
  /**
   * Present when the message carried encrypted content: why its shape was refused, how decryption
   * went, or (`notEnabled`) that the profile does not accept encrypted assertions, so it was not decrypted.
   */
  encrypted: { refused: string | null; decrypted: boolean; error: string | null; code?: ErrorCode; notEnabled?: boolean } | null;
}

/** A check: one named SAML rule, a pure function of the context. */
export type Check = (ctx: CheckContext) => CheckResult;

/** What a check may add to its result beyond status and code (exported so declarations can name it). */
export interface Detail {
  message?: string;
  expected?: string | undefined;
  received?: string | undefined;
  hint?: string | undefined;
}

/** Longest expected/received value a result keeps: a report names values, it does not store messages. */
export const MAX_DETAIL_CHARS = 2000;

/** A value from the message, cut to {@link MAX_DETAIL_CHARS} with a note of how much was left out. */
function clipDetail(value: string): string {
  return value.length <= MAX_DETAIL_CHARS
    ? value
    : `${value.slice(0, MAX_DETAIL_CHARS)}… (${value.length - MAX_DETAIL_CHARS} more characters)`;
}

/** Builds results for one check id so every check reports in the same shape. */
export function describeCheck(id: string, title: string, specRef: string) {
  // Literal objects, not `{ ...base, … }`: V8 builds a spread-then-extended object on a slow path,
  // over a microsecond each, and the ACS makes about thirty of these per response.
  const withDetail = (r: CheckResult, d: Detail): CheckResult => {
    if (d.expected !== undefined) r.expected = clipDetail(d.expected);
    if (d.received !== undefined) r.received = clipDetail(d.received);
    return r;
  };
  return {
    pass: (message: string, d: Detail = {}): CheckResult => withDetail({ id, title, specRef, status: 'pass', message }, d),
    skip: (message: string, d: Detail = {}): CheckResult => withDetail({ id, title, specRef, status: 'skip', message }, d),
    fail: (code: ErrorCode, d: Detail = {}): CheckResult => outcome('fail', code, d),
    warn: (code: ErrorCode, d: Detail = {}): CheckResult => outcome('warn', code, d),
  };
  function outcome(status: 'fail' | 'warn', code: ErrorCode, d: Detail): CheckResult {
    const entry = describeError(code);
    return withDetail({ id, title, specRef, status, code, message: d.message ?? entry.message, hint: d.hint ?? entry.hint }, d);
  }
}

/** The assertion the checks read, or a skip result when there is none to read. */
export function requireAssertion(ctx: CheckContext, check: ReturnType<typeof describeCheck>) {
  return ctx.facts.assertion ?? check.skip('No single assertion to read (see "Exactly one assertion").');
}
