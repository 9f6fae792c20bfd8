import type { PendingRequest, PendingRequestStore } from '../../core/sp/ports.js';
import { DEFAULT_REDIS_KEY_PREFIX, REDIS_COMMAND_TIMEOUT_MS, type RedisClientType, runRedisCommand } from './redis-client.js';

/** How long an expired request stays readable, so the report says "expired" rather than "unknown". */
export const PENDING_RETAIN_EXPIRED_MS = 10 * 60 * 1000;

export interface RedisPendingStoreOptions {
  /** Key prefix shared by every store of one deployment; `pending:` is added after it. */
  prefix?: string;
  /** How long one command may take before the store reports Redis unavailable. */
  commandTimeoutMs?: number;
  retainExpiredMs?: number;
}

function parseTime(value: string, field: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`${field} is not a date: ${value}`);
  return at;
}

function toRequest(json: string): PendingRequest {
  const stored = JSON.parse(json) as PendingRequest;
  return {
    id: stored.id,
    accountCode: stored.accountCode,
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt,
    relayState: stored.relayState ?? null,
    requestedAuthnContexts: stored.requestedAuthnContexts ?? [],
  };
}

/**
 * SP-initiated AuthnRequests waiting for their answer, shared by every replica: the request can be
 * started on one and answered on another. Redis drops each key itself, a while after the request
 * expired; the ACS decides expiry with its own clock.
 */
export class RedisPendingRequestStore implements PendingRequestStore {
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly retainExpiredMs: number;

  constructor(
    private readonly client: RedisClientType,
    options: RedisPendingStoreOptions = {},
  ) {
    this.prefix = `${options.prefix ?? DEFAULT_REDIS_KEY_PREFIX}pending:`;
    this.timeoutMs = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
    this.retainExpiredMs = options.retainExpiredMs ?? PENDING_RETAIN_EXPIRED_MS;
  }

  /** Throws when the id is already pending, as the SQLite store's primary key does. */
  async add(request: PendingRequest): Promise<void> {
    const expiresAt = parseTime(request.expiresAt, 'expiresAt');
    const createdAt = parseTime(request.createdAt, 'createdAt');
    // A lifetime relative to the request's own times, not PXAT: a frozen or skewed SP clock then
    // cannot make Redis drop the key at once or keep it for years.
    const ttlMs = Math.max(expiresAt - createdAt, 0) + this.retainExpiredMs;
    const value = JSON.stringify({ ...request, expiresAt: new Date(expiresAt).toISOString() });
    const reply = await runRedisCommand(
      () => this.client.set(this.key(request.id), value, { condition: 'NX', expiration: { type: 'PX', value: Math.max(ttlMs, 1) } }),
      this.timeoutMs,
    );
    if (reply === null) throw new Error(`A pending request with id ${request.id} already exists.`);
  }

  async get(id: string): Promise<PendingRequest | null> {
    const json = await runRedisCommand(() => this.client.get(this.key(id)), this.timeoutMs);
    return json === null ? null : toRequest(json);
  }

  /** GETDEL reads and removes in one command, so of two replicas racing on one id only one gets it. */
  async take(id: string): Promise<PendingRequest | null> {
    const json = await runRedisCommand(() => this.client.getDel(this.key(id)), this.timeoutMs);
    return json === null ? null : toRequest(json);
  }

  /** Redis expires the keys itself; nothing is left to purge. */
  async purgeExpired(_now: Date): Promise<number> {
    return 0;
  }

  private key(id: string): string {
    return this.prefix + id;
  }
}
