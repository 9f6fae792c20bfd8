import type { Database } from 'better-sqlite3';

/** The values a seed wrote into one object, by field name. */
export type SeedRecord = Record<string, unknown>;

/**
 * What the walk-through seed remembers about what it wrote, and the transaction a seed runs in. Kept
 * beside the seeded data in the same database, so the record and the data commit together.
 */
export interface SeedStateStore {
  read(name: string): SeedRecord | null;
  write(name: string, record: SeedRecord): void;
  /**
   * Runs `fn` in one IMMEDIATE transaction on this connection: committed when it resolves, rolled
   * back when it rejects, and never committed when the process dies first. Nothing else may use the
   * connection meanwhile (a seed runs before its app is attached).
   */
  runInTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

/** The SQLite seed state on `db` (table seed_state, migration 4). */
export function createSeedStateStore(db: Database): SeedStateStore {
  return {
    read(name) {
      const row = db.prepare('SELECT json FROM seed_state WHERE name = ?').get(name) as { json: string } | undefined;
      return row ? (JSON.parse(row.json) as SeedRecord) : null;
    },
    write(name, record) {
      db.prepare(
        'INSERT INTO seed_state (name, json, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at',
      ).run(name, JSON.stringify(record), new Date().toISOString());
    },
    async runInTransaction(fn) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
