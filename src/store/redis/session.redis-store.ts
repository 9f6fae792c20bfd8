import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { DEFAULT_SESSION_TTL_MS } from '../sqlite/session.store.js';
import { DEFAULT_REDIS_KEY_PREFIX, type RedisClientType } from './redis-client.js';

export interface RedisSessionStoreOptions {
  /** Key prefix shared by every store of one deployment; `sess:` is added after it. */
  prefix?: string;
  /** Lifetime of a session whose cookie has none; a day, as in the SQLite store. */
  defaultTtlMs?: number;
}

/**
 * express-session's store in Redis (connect-redis), so a session cookie set by one replica is
 * accepted by every other. Redis expires each session itself.
 */
export function createRedisSessionStore(client: RedisClientType, options: RedisSessionStoreOptions = {}): session.Store {
  return new RedisStore({
    client,
    prefix: `${options.prefix ?? DEFAULT_REDIS_KEY_PREFIX}sess:`,
    // connect-redis counts in seconds; the cookie's own expiry wins when it has one.
    ttl: Math.ceil((options.defaultTtlMs ?? DEFAULT_SESSION_TTL_MS) / 1000),
  });
}
