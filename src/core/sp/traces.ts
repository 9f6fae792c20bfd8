import type { ErrorCode } from '../errors.js';
import type { CheckStatus } from '../saml/types.js';

/** The result of one named SAML rule. The ACS keeps every one; the report is the product. */
export interface CheckResult {
  /** Stable kebab-case name, e.g. `audience`. */
  id: string;
  /** Short human title, e.g. "Audience is the account's Identifier". */
  title: string;
  status: CheckStatus;
  /** Catalogue code when the status is fail or warn. */
  code?: ErrorCode;
  expected?: string;
  received?: string;
  message: string;
  /** What to change, in Entra's or Mimecast's vocabulary. */
  hint?: string;
  /** The section of the SAML specification the rule enforces, e.g. "SAML Core 2.5.1.4". */
  specRef: string;
}

export type TraceKind = 'authn-request' | 'response' | 'logout-request' | 'logout-response';
export type TraceOutcome = 'success' | 'failure' | 'sent';

/** What the report headline needs without reading every check. */
export interface TraceSummary {
  flow?: 'sp-initiated' | 'idp-initiated';
  responseId?: string;
  assertionId?: string;
  inResponseTo?: string;
  issuer?: string;
  nameId?: string;
  encrypted?: boolean;
  /** The first failing check's code, for lists. */
  firstFailure?: ErrorCode;
  /** How the account was found: pending request, audience or issuer. */
  resolvedBy?: 'pending-request' | 'audience' | 'issuer';
  landing?: string;
  /** A Response whose Status is not Success: the IdP's codes and StatusMessage, as sent (message clipped). */
  idpStatus?: { code: string; subCode?: string; message?: string };
}

/** Every SAML exchange leaves one of these. */
export interface Trace {
  id: string;
  createdAt: string;
  kind: TraceKind;
  binding: 'HTTP-POST' | 'HTTP-Redirect';
  accountCode: string | null;
  outcome: TraceOutcome;
  /** The message as it arrived or left (base64 for POST, deflated+base64 for Redirect). */
  raw: string;
  /** The decoded XML, or null when it could not be decoded. */
  xml: string | null;
  relayState: string | null;
  checks: CheckResult[];
  summary: TraceSummary;
}

/** Filters for listing traces, newest first. */
export interface TraceQuery {
  accountCode?: string;
  outcome?: TraceOutcome;
  kind?: TraceKind;
  since?: string;
  until?: string;
  limit?: number;
}

/**
 * The failure to put in the headline: a non-Success status when the IdP refused (its StatusMessage is
 * the reason), else the first failing rule, preferring a specific one over the node-saml gate, whose
 * message is generic and always doubles another check's finding.
 */
export function selectHeadlineFailure(checks: readonly CheckResult[]): CheckResult | undefined {
  const failing = checks.filter((c) => c.status === 'fail');
  return failing.find((c) => c.id === 'status') ?? failing.find((c) => c.id !== 'node-saml') ?? failing[0];
}

/** The retention pool a trace counts against (see TraceRetention). */
export type TracePool = 'account' | 'anonymous';

/** Checks whose pass means the account's own IdP signed the message: the ACS's and the logout one. */
const VOUCHING_CHECKS: ReadonlySet<string> = new Set(['signature', 'logout-signature']);

/**
 * Only what the account vouched for counts against its retention: a message its IdP signed (the SP
 * verified the signature with one of the profile's certificates), an exchange that passed every check,
 * or a LogoutRequest the SP sent for a signed-in session. Anything anyone can send or provoke (junk,
 * an unsigned or forged message that names an account by its Issuer, Audience or Destination, a
 * sign-in start, the SP's answer to an unverified LogoutRequest) goes to the anonymous pool, and keeps
 * its accountCode so the SSO log still lists it under that account.
 */
export function tracePool(trace: Pick<Trace, 'accountCode' | 'kind' | 'outcome' | 'checks'>): TracePool {
  if (trace.accountCode === null) return 'anonymous';
  if (trace.outcome === 'success') return 'account';
  if (trace.kind === 'logout-request' && trace.outcome === 'sent') return 'account';
  return trace.checks.some((c) => c.status === 'pass' && VOUCHING_CHECKS.has(c.id)) ? 'account' : 'anonymous';
}
