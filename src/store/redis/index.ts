import type session from 'express-session';
import type { PendingRequestStore, ReplayCache } from '../../core/sp/ports.js';
import { RedisPendingRequestStore } from './pending.redis-store.js';
import { DEFAULT_REDIS_KEY_PREFIX, type RedisClientType } from './redis-client.js';
import { RedisReplayCache } from './replay.redis-store.js';
import { createRedisSessionStore } from './session.redis-store.js';

export { RedisPendingRequestStore, PENDING_RETAIN_EXPIRED_MS } from './pending.redis-store.js';
export { RedisReplayCache, REPLAY_MIN_RETAIN_MS } from './replay.redis-store.js';
export { createRedisSessionStore } from './session.redis-store.js';
export { closeRedis, connectRedis, DEFAULT_REDIS_KEY_PREFIX, redactRedisUrl, type ConnectRedisOptions, type RedisClientType } from './redis-client.js';

/** The stores several replicas must share: pending requests, used assertion ids and sessions. */
export interface RedisSharedStores {
  pending: PendingRequestStore;
  replay: ReplayCache;
  sessionStore: session.Store;
}

/** Builds the shared stores on one connected client; closing the client is the caller's. */
export function createRedisStores(client: RedisClientType, options: { prefix?: string } = {}): RedisSharedStores {
  const prefix = options.prefix ?? DEFAULT_REDIS_KEY_PREFIX;
  return {
    pending: new RedisPendingRequestStore(client, { prefix }),
    replay: new RedisReplayCache(client, { prefix }),
    sessionStore: createRedisSessionStore(client, { prefix }),
  };
}
