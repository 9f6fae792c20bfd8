import type { Database, Statement } from 'better-sqlite3';
import type { MetadataEvent } from '../../core/sp/metadata-diff.js';
import type { MetadataEventStore } from '../../core/sp/ports.js';

/** Listing defaults: a console page; the cap keeps one request from dumping the table. */
export const DEFAULT_METADATA_EVENT_LIMIT = 100;
export const MAX_METADATA_EVENT_LIMIT = 500;

interface MetadataEventRow {
  id: string;
  account_code: string;
  at: string;
  kind: string;
  detail: string;
  thumbprint: string | null;
  code: string | null;
}

function toEvent(row: MetadataEventRow): MetadataEvent {
  return {
    id: row.id,
    accountCode: row.account_code,
    at: row.at,
    kind: row.kind as MetadataEvent['kind'],
    detail: row.detail,
    thumbprint: row.thumbprint,
    code: row.code as MetadataEvent['code'],
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_METADATA_EVENT_LIMIT;
  return Math.min(MAX_METADATA_EVENT_LIMIT, Math.max(1, Math.floor(limit)));
}

/** The metadata monitor's findings per account, newest first; pruned by age and per-account count. */
export class SqliteMetadataEventStore implements MetadataEventStore {
  private readonly db: Database;
  private readonly insert: Statement<[Record<string, unknown>]>;
  private readonly selectForAccount: Statement<[string, number], MetadataEventRow>;
  private readonly deleteOlder: Statement<[string]>;
  private readonly deleteBeyond: Statement<[number]>;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(
      'INSERT INTO metadata_events (id, account_code, at, kind, detail, thumbprint, code) VALUES (@id, @accountCode, @at, @kind, @detail, @thumbprint, @code)',
    );
    // rowid orders events written in the same millisecond: one check writes several at one instant.
    this.selectForAccount = db.prepare('SELECT * FROM metadata_events WHERE account_code = ? ORDER BY at DESC, rowid DESC LIMIT ?');
    this.deleteOlder = db.prepare('DELETE FROM metadata_events WHERE at < ?');
    this.deleteBeyond = db.prepare(
      `DELETE FROM metadata_events WHERE rowid IN (
         SELECT rowid FROM (
           SELECT rowid, ROW_NUMBER() OVER (PARTITION BY account_code ORDER BY at DESC, rowid DESC) AS n FROM metadata_events
         ) WHERE n > ?
       )`,
    );
  }

  async add(events: MetadataEvent[]): Promise<void> {
    this.db.transaction(() => {
      for (const event of events) {
        this.insert.run({ ...event, at: new Date(event.at).toISOString() });
      }
    })();
  }

  async list(accountCode: string, options: { limit?: number } = {}): Promise<MetadataEvent[]> {
    return this.selectForAccount.all(accountCode, clampLimit(options.limit)).map(toEvent);
  }

  async prune(options: { maxPerAccount: number; olderThan: Date }): Promise<number> {
    const keep = Math.max(0, Math.floor(options.maxPerAccount));
    const cutoff = options.olderThan.toISOString();
    return this.db.transaction(() => this.deleteOlder.run(cutoff).changes + this.deleteBeyond.run(keep).changes)();
  }
}
