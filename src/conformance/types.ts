/**
 * The shapes of the conformance suite: a case builds one hostile or broken (or, for controls, valid)
 * SAMLResponse; the runner posts it to a real ACS over HTTP and records what the SP did.
 */
import type { ErrorCode } from '../core/errors.js';
import type { BuiltResponse, EntraResponseInput } from '../core/idp/response-builder.js';
import type { AuthProfile } from '../core/sp/accounts.js';
import type { SpSettings } from '../core/sp/context.js';
import type { SpStores } from '../core/sp/ports.js';

/** A PEM key pair. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** Overrides for the kit's baseline response; `user` and `signing` merge over the defaults. */
export type BaselineOverrides = Omit<Partial<EntraResponseInput>, 'user' | 'signing'> & {
  user?: Partial<EntraResponseInput['user']>;
  signing?: Partial<EntraResponseInput['signing']>;
};

/** What a case builds its message from. One kit per run; its values do not change between cases. */
export interface CaseKit {
  /** The instant every SP clock starts at, and the default IssueInstant. */
  now: Date;
  /** The SP's ACS URL (http://127.0.0.1:<port>/login/saml). */
  acsUrl: string;
  /** The account's Identifier (Entity ID), the expected Audience. */
  identifier: string;
  /** The profile's Issuer URL (Entra: https://sts.windows.net/<tenant-id>/). */
  issuer: string;
  tenantId: string;
  accountCode: string;
  /** The attacker's own address: a real user whose genuine assertions the attacker can obtain. */
  user: string;
  /** The address an attack tries to become: an administrator in the same directory. */
  victim: string;
  /** The IdP key the profile trusts. */
  idp: KeyPair;
  /** A key pair made for this run; no profile trusts it. */
  attacker: KeyPair;
  /** The SP's encryption certificate, for Entra's "Token encryption". */
  spEncryptionCert: string;
  /** An Entra-shaped response for `user`, assertion signed with the trusted key (SHA-256), IdP-initiated. */
  respond(overrides?: BaselineOverrides): BuiltResponse;
  /** A fresh SAML ID (`_` + GUID). */
  newId(): string;
}

/** The running SP as a case's `before` step sees it. */
export interface CaseSp {
  stores: SpStores;
  /** Moves the SP's frozen clock. */
  advanceClock(ms: number): void;
  /** Starts SP-initiated sign-in through GET /sso/<code> (default: the suite's account), with `requestId` as the AuthnRequest ID. */
  startSignIn(requestId: string, accountCode?: string): Promise<void>;
  /** Adds another account on the same SP, whose profile trusts `cert` as `issuer`, with these directory addresses. */
  addAccount(input: { code: string; domains: string[]; issuer: string; cert: string; users: string[] }): Promise<void>;
  /** Adds an address to the suite account's internal directory (default role: Super Administrator). */
  addUser(email: string, roles?: string[]): Promise<void>;
  /** Posts a response to the ACS and fails the case setup unless it signs in. */
  signIn(samlResponse: string): Promise<void>;
  updateProfile(patch: Partial<AuthProfile>): Promise<void>;
}

/** One case's message and the state the SP must be in when it arrives. */
export interface CasePlan {
  /** The SAMLResponse form field, as posted (normally base64). */
  samlResponse: string;
  relayState?: string;
  /** SP settings for this case, over the suite's defaults (e.g. refuseSha1). */
  settings?: Partial<Pick<SpSettings, 'refuseSha1' | 'clockSkewMs' | 'maxSamlBytes'>>;
  /** Runs against the fresh SP before the message is posted. */
  before?: (sp: CaseSp) => Promise<void>;
  /** Where the SP's clock stands when the message is posted, in ms from `kit.now` (after `before`). */
  now?: number;
}

/** What the SP should do with a case's message (or did). */
export type Expectation = 'refused' | 'accepted';

/** One conformance case. */
export interface ConformanceCase {
  /** Stable kebab-case id. */
  id: string;
  title: string;
  /** Where the attack or rule comes from: 'XSW3', 'CVE-2025-29775', 'SAML Core 2.5.1.4' … */
  reference: string;
  expected: Expectation;
  /** For refused cases: a code the failing checks must include. */
  expectedCode?: ErrorCode;
  /** The ACS must answer the POST within this many ms: for messages built to make a step slow. */
  answerWithinMs?: number;
  build(kit: CaseKit): CasePlan | Promise<CasePlan>;
}

/** What node-saml alone said: its check passed, failed, or did not run (nothing it could be given). */
export type NodeSamlVerdict = 'accepted' | 'refused' | 'not-run';

/** The result of one case. */
export interface CaseResult {
  id: string;
  title: string;
  reference: string;
  expected: Expectation;
  expectedCode: ErrorCode | null;
  actual: Expectation;
  /** Codes of the failing checks, in report order (or the error code when no trace was written). */
  codes: ErrorCode[];
  /** The failing checks by id, with their codes: which rules stopped the message. */
  failedChecks: { id: string; code: ErrorCode | null }[];
  nodeSamlAlone: NodeSamlVerdict;
  /** What was observed over HTTP. */
  http: { status: number; location: string | null; sessionCookie: boolean; traceOutcome: string | null };
  pass: boolean;
  /** Why the case did not pass, or why it could not run. */
  problem: string | null;
  durationMs: number;
}

/** The whole run. */
export interface ConformanceReport {
  startedAt: string;
  durationMs: number;
  total: number;
  passed: number;
  failed: number;
  /** Refused-expected cases that signed in: real vulnerabilities. */
  hostileSignedIn: string[];
  results: CaseResult[];
}
