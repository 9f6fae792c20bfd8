import type session from 'express-session';
import type { PendingRequestStore, ReplayCache } from '../../core/sp/ports.js';
import { RedisPendingRequestStore } from './pending.redis-store.js';
import { DEFAULT_REDIS_KEY_PREFIX, type RedisClientType } from './redis-client.js';
import { RedisReplayCache } from './replay.redis-store.js';
import { createRedisSessionStore } from './session.redis-store.js';

export { PENDING_RETAIN_EXPIRED_MS, RedisPendingRequestStore } from './pending.redis-store.js';
export {
  type ConnectRedisOptions,
  closeRedis,
  connectRedis,
  DEFAULT_REDIS_KEY_PREFIX,
  type RedisClientType,
  redactRedisUrl,
} from './redis-client.js';
export { REPLAY_MIN_RETAIN_MS, RedisReplayCache } from './replay.redis-store.js';
export { createRedisSessionStore } from './session.redis-store.js';

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
