import type session from 'express-session';
import type { Logger } from 'pino';
import type { Config } from '../config/defaults.js';
import type { Clock } from '../core/clock.js';
import type { SpStores } from '../core/sp/ports.js';
import { createSqliteStores, type SeedStateStore } from '../store/index.js';

/** The SP's stores as the runtime uses them: the ports, the express-session store and upkeep. */
export type RuntimeStores = SpStores & {
  sessionStore: session.Store;
  /** What the walk-through seed wrote, in the SQLite database (never in Redis). */
  seedState: SeedStateStore;
  /** Removes expired sessions where the store does not expire them itself (SQLite). */
  purgeSessions(): void | Promise<void>;
  /** Closes Redis (when used), then the database; calling it twice is harmless. */
  close(): Promise<void>;
};

export interface OpenSpStoresOptions {
  /** Decides session expiry in SQLite; tests pass a frozen one. */
  clock?: Clock;
  /** Told about Redis connection errors after startup (the client reconnects by itself). */
  logger?: Logger;
  /** Prefix of every Redis key; replicas of one deployment must use the same one. */
  redisKeyPrefix?: string;
  /** Bounds the first Redis connection, so a wrong REDIS_URL stops startup quickly. */
  redisConnectTimeoutMs?: number;
}

/**
 * Opens the SP's stores from the Config. Accounts, profiles, directories and traces always live in
 * SQLite at `config.databasePath`. Without `redisUrl`, pending requests, used assertion ids and
 * sessions live there too: one replica, or several on one host sharing the file (WAL, busy timeout).
 * With `redisUrl` those three live in Redis, so replicas behind a load balancer accept each other's
 * requests, replays and cookies. Replicas on several hosts still need the SQLite file on storage
 * they all reach, and network filesystems often break SQLite's locking: there, seed and edit
 * accounts on one host, or keep the replicas on one host.
 *
 * Fails with AppError REDIS_UNAVAILABLE when `redisUrl` is set but Redis does not answer.
 */
export async function openSpStores(config: Config, opts: OpenSpStoresOptions = {}): Promise<RuntimeStores> {
  const sqlite = createSqliteStores(config.databasePath, opts.clock === undefined ? {} : { clock: opts.clock });
  const durable = {
    accounts: sqlite.accounts,
    profiles: sqlite.profiles,
    directory: sqlite.directory,
    traces: sqlite.traces,
    metadataEvents: sqlite.metadataEvents,
    seedState: sqlite.seedState,
    ping: () => sqlite.ping(),
  };
  if (!config.redisUrl) {
    return {
      ...durable,
      pending: sqlite.pending,
      replay: sqlite.replay,
      sessionStore: sqlite.sessionStore,
      purgeSessions: () => {
        sqlite.sessionStore.purgeExpired();
      },
      close: () => sqlite.close(),
    };
  }

  // Loaded only here: the redis client is a quarter of a second of module loading that a start
  // without REDIS_URL (the default) would pay for nothing.
  const { closeRedis, connectRedis, createRedisStores, DEFAULT_REDIS_KEY_PREFIX } = await import('../store/redis/index.js');
  const logger = opts.logger;
  let client: Awaited<ReturnType<typeof connectRedis>>;
  try {
    client = await connectRedis(config.redisUrl, {
      ...(opts.redisConnectTimeoutMs === undefined ? {} : { connectTimeoutMs: opts.redisConnectTimeoutMs }),
      onError: (error) => logger?.warn({ err: error }, 'Redis connection error; reconnecting'),
    });
  } catch (error) {
    await sqlite.close();
    throw error;
  }
  const shared = createRedisStores(client, { prefix: opts.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX });
  return {
    ...durable,
    ...shared,
    // Redis expires sessions itself.
    purgeSessions: () => undefined,
    async close() {
      await closeRedis(client);
      await sqlite.close();
    },
  };
}
