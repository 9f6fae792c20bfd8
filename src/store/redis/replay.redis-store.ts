import type { ReplayCache } from '../../core/sp/ports.js';
import { DEFAULT_REDIS_KEY_PREFIX, REDIS_COMMAND_TIMEOUT_MS, type RedisClientType, runRedisCommand } from './redis-client.js';

/** Kept for an id whose expiry has already passed on Redis's clock, so it is still refused twice. */
export const REPLAY_MIN_RETAIN_MS = 10 * 60 * 1000;

export interface RedisReplayCacheOptions {
  /** Key prefix shared by every store of one deployment; `replay:` is added after it. */
  prefix?: string;
  /** How long one command may take before the store reports Redis unavailable. */
  commandTimeoutMs?: number;
}

/**
 * Assertion ids already used to sign in, shared by every replica, so a response accepted by one is
 * refused by the others. Each key expires with its assertion.
 */
export class RedisReplayCache implements ReplayCache {
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: RedisClientType,
    options: RedisReplayCacheOptions = {},
  ) {
    this.prefix = `${options.prefix ?? DEFAULT_REDIS_KEY_PREFIX}replay:`;
    this.timeoutMs = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  }

  async has(assertionId: string): Promise<boolean> {
    return (await runRedisCommand(() => this.client.exists(this.key(assertionId)), this.timeoutMs)) === 1;
  }

  /** SET NX decides the race inside Redis: of two replicas consuming one id, exactly one gets OK. */
  async consume(assertionId: string, expiresAt: Date): Promise<boolean> {
    const at = expiresAt.getTime();
    if (Number.isNaN(at)) throw new RangeError('expiresAt is not a valid date');
    // Redis deletes a key whose PXAT is already past at once, and a second consume would then win;
    // Date.now() stands in for Redis's wall clock here, which is what PXAT is measured against.
    const expiration = at > Date.now() ? { type: 'PXAT' as const, value: at } : { type: 'PX' as const, value: REPLAY_MIN_RETAIN_MS };
    const reply = await runRedisCommand(() => this.client.set(this.key(assertionId), '1', { condition: 'NX', expiration }), this.timeoutMs);
    return reply !== null;
  }

  /** Redis expires the keys itself; nothing is left to purge. */
  async purgeExpired(_now: Date): Promise<number> {
    return 0;
  }

  private key(assertionId: string): string {
    return this.prefix + assertionId;
  }
}
