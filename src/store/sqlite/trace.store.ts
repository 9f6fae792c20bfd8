import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import type { TraceRetention, TraceStore } from '../../core/sp/ports.js';
import {
  type CheckResult,
  type Trace,
  type TraceKind,
  type TraceOutcome,
  type TraceQuery,
  type TraceSummary,
  tracePool,
} from '../../core/sp/traces.js';

/** Listing defaults: enough for a console page; the cap keeps one request from dumping the table. */
export const DEFAULT_TRACE_LIMIT = 50;
export const MAX_TRACE_LIMIT = 500;

interface TraceRow {
  id: string;
  created_at: string;
  kind: string;
  binding: string;
  account_code: string | null;
  outcome: string;
  raw: string;
  xml: string | null;
  relay_state: string | null;
  checks_json: string;
  summary_json: string;
}

type Filter = 'accountCode' | 'outcome' | 'kind' | 'since' | 'until';

const FILTER_SQL: Record<Filter, string> = {
  accountCode: 'account_code = @accountCode',
  outcome: 'outcome = @outcome',
  kind: 'kind = @kind',
  since: 'created_at >= @since',
  until: 'created_at <= @until',
};

const FILTERS = Object.keys(FILTER_SQL) as Filter[];

/**
 * Timestamps are stored as canonical ISO-8601 UTC so that text order is time order; anything the
 * caller sends is brought to that form first.
 */
function toIsoTimestamp(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field, message: 'not a date' }] });
  return new Date(ms).toISOString();
}

/** The limit clamped to 1…MAX_TRACE_LIMIT, DEFAULT_TRACE_LIMIT when absent or not a number. */
function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_TRACE_LIMIT;
  return Math.min(MAX_TRACE_LIMIT, Math.max(1, Math.floor(limit)));
}

/** A count to keep: a whole number, at least 0. */
function toKeepCount(value: number): number {
  return Math.max(0, Math.floor(value));
}

function toTrace(row: TraceRow): Trace {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind as TraceKind,
    binding: row.binding as Trace['binding'],
    accountCode: row.account_code,
    outcome: row.outcome as TraceOutcome,
    raw: row.raw,
    xml: row.xml,
    relayState: row.relay_state,
    checks: JSON.parse(row.checks_json) as CheckResult[],
    summary: JSON.parse(row.summary_json) as TraceSummary,
  };
}

/** Every SAML exchange, newest first; pruned by age and by count per pool (see TraceRetention). */
export class SqliteTraceStore implements TraceStore {
  private readonly db: Database;
  private readonly insert: Statement<[Record<string, unknown>]>;
  private readonly selectOne: Statement<[string], TraceRow>;
  private readonly deleteOlder: Statement<[string]>;
  private readonly deleteBeyondPerAccount: Statement<[number]>;
  private readonly deleteBeyondAnonymous: Statement<[number]>;
  /** One statement per combination of filters, prepared on first use: each can use its own index. */
  private readonly listStatements = new Map<string, Statement<[Record<string, unknown>], TraceRow>>();

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO traces (id, created_at, kind, binding, account_code, outcome, raw, xml, relay_state, checks_json, summary_json, pool)
       VALUES (@id, @createdAt, @kind, @binding, @accountCode, @outcome, @raw, @xml, @relayState, @checks, @summary, @pool)`,
    );
    this.selectOne = db.prepare('SELECT * FROM traces WHERE id = ?');
    this.deleteOlder = db.prepare('DELETE FROM traces WHERE created_at < ?');
    // rowid breaks ties between traces written in the same millisecond: the later write is newer.
    this.deleteBeyondPerAccount = db.prepare(
      `DELETE FROM traces WHERE rowid IN (
         SELECT rowid FROM (
           SELECT rowid, ROW_NUMBER() OVER (PARTITION BY account_code ORDER BY created_at DESC, rowid DESC) AS newest
           FROM traces WHERE pool = 'account'
         ) WHERE newest > ?
       )`,
    );
    this.deleteBeyondAnonymous = db.prepare(
      "DELETE FROM traces WHERE rowid IN (SELECT rowid FROM traces WHERE pool = 'anonymous' ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)",
    );
  }

  async add(trace: Trace): Promise<void> {
    this.insert.run({
      id: trace.id,
      createdAt: toIsoTimestamp(trace.createdAt, 'createdAt'),
      kind: trace.kind,
      binding: trace.binding,
      accountCode: trace.accountCode,
      outcome: trace.outcome,
      raw: trace.raw,
      xml: trace.xml,
      relayState: trace.relayState,
      checks: JSON.stringify(trace.checks),
      summary: JSON.stringify(trace.summary),
      pool: tracePool(trace),
    });
  }

  async get(id: string): Promise<Trace | null> {
    const row = this.selectOne.get(id);
    return row === undefined ? null : toTrace(row);
  }

  /** Newest first; `since` and `until` are inclusive ISO timestamps. Throws VALIDATION_FAILED on a bad date. */
  async list(query: TraceQuery): Promise<Trace[]> {
    const params: Record<string, unknown> = { limit: clampLimit(query.limit) };
    const used: Filter[] = [];
    for (const filter of FILTERS) {
      const value = query[filter];
      if (value === undefined) continue;
      used.push(filter);
      params[filter] = filter === 'since' || filter === 'until' ? toIsoTimestamp(value, filter) : value;
    }
    return this.prepareList(used).all(params).map(toTrace);
  }

  async prune(retention: TraceRetention): Promise<number> {
    const cutoff = retention.olderThan.toISOString();
    const perAccount = toKeepCount(retention.maxPerAccount);
    const anonymous = toKeepCount(retention.maxAnonymous);
    return this.db.transaction(
      () =>
        this.deleteOlder.run(cutoff).changes +
        this.deleteBeyondPerAccount.run(perAccount).changes +
        this.deleteBeyondAnonymous.run(anonymous).changes,
    )();
  }

  private prepareList(used: Filter[]): Statement<[Record<string, unknown>], TraceRow> {
    const key = used.join(',');
    let statement = this.listStatements.get(key);
    if (statement === undefined) {
      const where = used.length === 0 ? '' : `WHERE ${used.map((f) => FILTER_SQL[f]).join(' AND ')}`;
      statement = this.db.prepare(`SELECT * FROM traces ${where} ORDER BY created_at DESC, rowid DESC LIMIT @limit`);
      this.listStatements.set(key, statement);
    }
    return statement;
  }
}
