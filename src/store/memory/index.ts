import { createSqliteStores, type SqliteStoreOptions, type SqliteStores } from '../index.js';

/**
 * Stores that keep nothing after `close()`: the same SQLite implementation on ':memory:', so tests
 * run the real SQL and there is one implementation, not two that drift apart.
 */
export function createMemoryStores(opts: SqliteStoreOptions = {}): SqliteStores {
  return createSqliteStores(':memory:', opts);
}
