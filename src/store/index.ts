import type { Database } from 'better-sqlite3';
import { type Clock, systemClock } from '../core/clock.js';
import type { SpStores } from '../core/sp/ports.js';
import { SqliteAccountStore } from './sqlite/account.store.js';
import { openDatabase } from './sqlite/database.js';
import { SqliteDirectoryStore } from './sqlite/directory.store.js';
import { SqliteMetadataEventStore } from './sqlite/metadata-event.store.js';
import { SqlitePendingRequestStore } from './sqlite/pending.store.js';
import { SqliteProfileStore } from './sqlite/profile.store.js';
import { SqliteReplayCache } from './sqlite/replay.store.js';
import { createSeedStateStore, type SeedStateStore } from './sqlite/seed-state.store.js';
import { SqliteSessionStore } from './sqlite/session.store.js';
import { SqliteTraceStore } from './sqlite/trace.store.js';

export type { Database } from 'better-sqlite3';
export type * from '../core/sp/ports.js';
export { openDatabase } from './sqlite/database.js';
export { createSeedStateStore, type SeedRecord, type SeedStateStore } from './sqlite/seed-state.store.js';
export { SqliteSessionStore } from './sqlite/session.store.js';

/** The SP's stores on one SQLite database, with its express-session store beside them. */
export type SqliteStores = SpStores & { db: Database; sessionStore: SqliteSessionStore; seedState: SeedStateStore };

export interface SqliteStoreOptions {
  /** Decides session expiry; tests pass a frozen one. */
  clock?: Clock;
}

/**
 * Opens (and migrates) the database at `path` — a file, or ':memory:' — and builds every SP store
 * on it. `close()` closes the database; calling it twice is harmless.
 */
export function createSqliteStores(path: string, opts: SqliteStoreOptions = {}): SqliteStores {
  const db = openDatabase(path);
  return {
    db,
    accounts: new SqliteAccountStore(db),
    profiles: new SqliteProfileStore(db),
    directory: new SqliteDirectoryStore(db),
    traces: new SqliteTraceStore(db),
    pending: new SqlitePendingRequestStore(db),
    replay: new SqliteReplayCache(db),
    metadataEvents: new SqliteMetadataEventStore(db),
    sessionStore: new SqliteSessionStore(db, { clock: opts.clock ?? systemClock }),
    seedState: createSeedStateStore(db),
    async ping() {
      // A closed handle throws here too, which is what readiness must report.
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
