import type { Database, Statement } from 'better-sqlite3';
import type { PendingRequest, PendingRequestStore } from '../../core/sp/ports.js';

interface PendingRow {
  id: string;
  account_code: string;
  created_at: string;
  expires_at: number;
  relay_state: string | null;
  contexts_json: string;
}

function toRequest(row: PendingRow): PendingRequest {
  return {
    id: row.id,
    accountCode: row.account_code,
    createdAt: row.created_at,
    expiresAt: new Date(row.expires_at).toISOString(),
    relayState: row.relay_state,
    requestedAuthnContexts: JSON.parse(row.contexts_json) as string[],
  };
}

/**
 * SP-initiated AuthnRequests waiting for their answer. Expiry is kept as epoch milliseconds so the
 * purge compares numbers, whatever ISO spelling the caller used.
 */
export class SqlitePendingRequestStore implements PendingRequestStore {
  private readonly insert: Statement<[string, string, string, number, string | null, string]>;
  private readonly selectOne: Statement<[string], PendingRow>;
  private readonly takeOne: Statement<[string], PendingRow>;
  private readonly deleteExpired: Statement<[number]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO pending_requests (id, account_code, created_at, expires_at, relay_state, contexts_json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectOne = db.prepare('SELECT * FROM pending_requests WHERE id = ?');
    // One statement reads and removes, so two connections racing on the same id cannot both win.
    this.takeOne = db.prepare('DELETE FROM pending_requests WHERE id = ? RETURNING *');
    this.deleteExpired = db.prepare('DELETE FROM pending_requests WHERE expires_at < ?');
  }

  async add(request: PendingRequest): Promise<void> {
    const expiresAt = Date.parse(request.expiresAt);
    if (Number.isNaN(expiresAt)) throw new RangeError(`expiresAt is not a date: ${request.expiresAt}`);
    this.insert.run(
      request.id,
      request.accountCode,
      request.createdAt,
      expiresAt,
      request.relayState,
      JSON.stringify(request.requestedAuthnContexts),
    );
  }

  async get(id: string): Promise<PendingRequest | null> {
    const row = this.selectOne.get(id);
    return row === undefined ? null : toRequest(row);
  }

  async take(id: string): Promise<PendingRequest | null> {
    const row = this.takeOne.get(id);
    return row === undefined ? null : toRequest(row);
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.deleteExpired.run(now.getTime()).changes;
  }
}
