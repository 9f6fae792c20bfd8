import type { Database, Statement } from 'better-sqlite3';
import type { ReplayCache } from '../../core/sp/ports.js';

/**
 * Assertion ids already used to sign in. An entry stays until purged, even past its expiry: by then
 * the assertion fails its own time checks, and refusing it twice is the safe side.
 */
export class SqliteReplayCache implements ReplayCache {
  private readonly selectOne: Statement<[string], { found: number }>;
  private readonly insert: Statement<[string, number]>;
  private readonly deleteExpired: Statement<[number]>;

  constructor(db: Database) {
    this.selectOne = db.prepare('SELECT 1 AS found FROM consumed_assertions WHERE id = ?');
    // The primary key decides the race: of two connections inserting one id, exactly one changes a row.
    this.insert = db.prepare('INSERT INTO consumed_assertions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    this.deleteExpired = db.prepare('DELETE FROM consumed_assertions WHERE expires_at < ?');
  }

  async has(assertionId: string): Promise<boolean> {
    return this.selectOne.get(assertionId) !== undefined;
  }

  async consume(assertionId: string, expiresAt: Date): Promise<boolean> {
    if (Number.isNaN(expiresAt.getTime())) throw new RangeError('expiresAt is not a valid date');
    return this.insert.run(assertionId, expiresAt.getTime()).changes === 1;
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.deleteExpired.run(now.getTime()).changes;
  }
}
