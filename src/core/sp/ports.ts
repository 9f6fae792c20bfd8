import type { Account, AuthProfile, DirectoryUser } from './accounts.js';
import type { MetadataEvent } from './metadata-diff.js';
import type { Trace, TraceQuery } from './traces.js';

/**
 * The storage ports the SP core and HTTP layer depend on. Implementations: sqlite/ (embedded default,
 * also used in-memory for tests) and, for sessions and caches shared between replicas, redis/.
 * Every method is async so a networked store can stand behind the same port.
 */
export interface AccountStore {
  list(): Promise<Account[]>;
  get(code: string): Promise<Account | null>;
  /** The account owning an email domain, compared with A–Z folded only, if any. */
  findByDomain(domain: string): Promise<Account | null>;
  /** Throws AppError ACCOUNT_EXISTS or DOMAIN_IN_USE. */
  create(account: Account): Promise<Account>;
  /** Replaces name/region/domains; throws ACCOUNT_NOT_FOUND or DOMAIN_IN_USE. */
  update(account: Account): Promise<Account>;
  /** Removes the account with its profile, directory and pending requests. Returns false if absent. */
  delete(code: string): Promise<boolean>;
}

export interface ProfileStore {
  get(accountCode: string): Promise<AuthProfile | null>;
  /** Creates or replaces the account's profile. */
  put(profile: AuthProfile): Promise<AuthProfile>;
  /** Profiles whose Issuer URL equals `issuer` exactly. */
  findByIssuer(issuer: string): Promise<AuthProfile[]>;
}

export interface DirectoryStore {
  list(accountCode: string): Promise<DirectoryUser[]>;
  /** Case-insensitive on email in ASCII only (A–Z); other characters must match exactly. */
  find(accountCode: string, email: string): Promise<DirectoryUser | null>;
  /** Throws USER_EXISTS. */
  create(user: DirectoryUser, password: string | null): Promise<DirectoryUser>;
  update(user: DirectoryUser): Promise<DirectoryUser>;
  delete(accountCode: string, email: string): Promise<boolean>;
  /** Verifies a cloud password (scrypt); false for unknown users or users without a password. */
  verifyPassword(accountCode: string, email: string, password: string): Promise<boolean>;
}

/**
 * How many traces are kept, per pool (see tracePool): each account keeps its own newest
 * `maxPerAccount` of what it vouched for (a message its IdP signed, a passed exchange, its own
 * logout), and everything anyone can send (junk posted to the ACS, unsigned or forged messages that
 * only name an account, sign-in starts, logout messages nobody signed) shares one pool of
 * `maxAnonymous`. Anyone can fill the anonymous pool, so it must never push an account's evidence out.
 */
export interface TraceRetention {
  maxPerAccount: number;
  maxAnonymous: number;
  /** None older than this, in any pool. */
  olderThan: Date;
}

export interface TraceStore {
  add(trace: Trace): Promise<void>;
  get(id: string): Promise<Trace | null>;
  list(query: TraceQuery): Promise<Trace[]>;
  /** Applies the retention to every pool at once; returns how many traces were removed. */
  prune(retention: TraceRetention): Promise<number>;
}

/** An SP-initiated AuthnRequest that waits for its answer. */
export interface PendingRequest {
  id: string;
  accountCode: string;
  createdAt: string;
  expiresAt: string;
  relayState: string | null;
  /** AuthnContextClassRefs requested (Comparison exact), empty when none. */
  requestedAuthnContexts: string[];
}

/** Pending request ids live server-side: the IdP's cross-site POST does not carry a SameSite=Lax cookie. */
export interface PendingRequestStore {
  add(request: PendingRequest): Promise<void>;
  /** Reads without consuming (expired ones too, so the report can say "expired"). */
  get(id: string): Promise<PendingRequest | null>;
  /** Consumes atomically: returns the request once, then null. */
  take(id: string): Promise<PendingRequest | null>;
  /** Deletes requests that expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** Assertion ids already used to sign in, kept until they expire. */
export interface ReplayCache {
  has(assertionId: string): Promise<boolean>;
  /** Marks as used; false when it already was (someone else won the race). */
  consume(assertionId: string, expiresAt: Date): Promise<boolean>;
  purgeExpired(now: Date): Promise<number>;
}

/** What "Monitor Metadata URL" found: certificate rollovers, changed endpoints, failed fetches. */
export interface MetadataEventStore {
  /** Adds events in one transaction: a check's changes are recorded all together or not at all. */
  add(events: MetadataEvent[]): Promise<void>;
  /** An account's events, newest first; `limit` is clamped to 1…500 (default 100). */
  list(accountCode: string, options?: { limit?: number }): Promise<MetadataEvent[]>;
  /** Keeps at most `maxPerAccount` events per account and none older than `olderThan`; returns how many went. */
  prune(options: { maxPerAccount: number; olderThan: Date }): Promise<number>;
}

/** Everything the SP needs, passed to createSpApp and the core. */
export interface SpStores {
  accounts: AccountStore;
  profiles: ProfileStore;
  directory: DirectoryStore;
  traces: TraceStore;
  pending: PendingRequestStore;
  replay: ReplayCache;
  metadataEvents: MetadataEventStore;
  /** Readiness: runs a trivial query on the database; rejects when it does not answer. */
  ping(): Promise<void>;
  /** Closes connections/handles. */
  close(): Promise<void>;
}
