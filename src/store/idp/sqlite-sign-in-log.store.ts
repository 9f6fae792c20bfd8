/**
 * The sign-in logs on SQLite: one row per attempt, the entry as JSON, bounded per tenant so a
 * long-running harness keeps only the newest attempts.
 */
import type { Database } from 'better-sqlite3';
import type { IdpSignInLogStore } from '../../core/idp/ports.js';
import type { SignInLogEntry } from '../../core/idp/sign-in-log.js';

export class SqliteSignInLogStore implements IdpSignInLogStore {
  constructor(private readonly db: Database) {}

  async add(entry: SignInLogEntry, retain: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO idp_sign_in_logs (tenant_id, json) VALUES (?, ?)').run(entry.tenantId, JSON.stringify(entry));
      // The oldest row still kept; everything before it goes.
      const edge = this.db
        .prepare('SELECT seq FROM idp_sign_in_logs WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?')
        .get(entry.tenantId, Math.max(0, retain - 1)) as { seq: number } | undefined;
      if (edge) this.db.prepare('DELETE FROM idp_sign_in_logs WHERE tenant_id = ? AND seq < ?').run(entry.tenantId, edge.seq);
    })();
  }

  async list(tenantId: string, limit: number): Promise<SignInLogEntry[]> {
    const rows = this.db
      .prepare('SELECT json FROM idp_sign_in_logs WHERE tenant_id = ? ORDER BY seq DESC LIMIT ?')
      .all(tenantId, limit) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as SignInLogEntry);
  }
}
