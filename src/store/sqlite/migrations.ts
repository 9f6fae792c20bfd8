import type { Database } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { type CheckResult, type TraceKind, type TraceOutcome, tracePool } from '../../core/sp/traces.js';
import { toDomainKey } from './account.store.js';
import { toEmailKey } from './directory.store.js';

/** One schema step. Versions are consecutive from 1; a released migration is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step that must be computed in code (the same fold as the stores use), run after `sql` in its transaction. */
  migrate?: (db: Database) => void;
}

/**
 * Traces written before pools were stored went by account_code alone, so an unsigned message that
 * only named an account counted against that account's retention. Each is placed by the same rule
 * the store applies to new ones.
 */
function placeTracesInPools(db: Database): void {
  const rows = db.prepare('SELECT rowid AS id, account_code, kind, outcome, checks_json FROM traces').all() as {
    id: number;
    account_code: string | null;
    kind: TraceKind;
    outcome: TraceOutcome;
    checks_json: string;
  }[];
  const setPool = db.prepare('UPDATE traces SET pool = ? WHERE rowid = ?');
  for (const row of rows) {
    const checks = JSON.parse(row.checks_json) as CheckResult[];
    setPool.run(tracePool({ accountCode: row.account_code, kind: row.kind, outcome: row.outcome, checks }), row.id);
  }
}

/**
 * Keys written before identities were folded in ASCII only were lower-cased with toLowerCase, which
 * folds look-alikes such as U+212A KELVIN SIGN onto ASCII. Recomputing them from the stored spelling
 * cannot collide: two rows whose new keys are equal already had equal old keys.
 */
function rekeyIdentities(db: Database): void {
  const users = db.prepare('SELECT rowid AS id, email FROM directory_users').all() as { id: number; email: string }[];
  const setUserKey = db.prepare('UPDATE directory_users SET email_lower = ? WHERE rowid = ?');
  for (const row of users) setUserKey.run(toEmailKey(row.email), row.id);
  const domains = db.prepare('SELECT rowid AS id, domain FROM account_domains').all() as { id: number; domain: string }[];
  const setDomainKey = db.prepare('UPDATE account_domains SET domain = ? WHERE rowid = ?');
  for (const row of domains) setDomainKey.run(toDomainKey(row.domain), row.id);
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE accounts (
        code TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE account_domains (
        domain TEXT PRIMARY KEY,
        account_code TEXT NOT NULL REFERENCES accounts(code) ON DELETE CASCADE
      );
      CREATE INDEX account_domains_account ON account_domains (account_code);
      CREATE TABLE profiles (
        account_code TEXT PRIMARY KEY REFERENCES accounts(code) ON DELETE CASCADE,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE directory_users (
        account_code TEXT NOT NULL REFERENCES accounts(code) ON DELETE CASCADE,
        email_lower TEXT NOT NULL,
        email TEXT NOT NULL,
        global_name TEXT NOT NULL,
        password_hash TEXT NULL,
        force_change INTEGER NOT NULL DEFAULT 0,
        roles_json TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_code, email_lower)
      );
      -- No foreign key on account_code: a trace must outlive the account it was about.
      CREATE TABLE traces (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        binding TEXT NOT NULL,
        account_code TEXT NULL,
        outcome TEXT NOT NULL,
        raw TEXT NOT NULL,
        xml TEXT NULL,
        relay_state TEXT NULL,
        checks_json TEXT NOT NULL,
        summary_json TEXT NOT NULL
      );
      CREATE INDEX traces_created ON traces (created_at);
      CREATE INDEX traces_account_created ON traces (account_code, created_at);
      CREATE INDEX traces_outcome_created ON traces (outcome, created_at);
      CREATE TABLE pending_requests (
        id TEXT PRIMARY KEY,
        account_code TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        relay_state TEXT NULL,
        contexts_json TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX pending_requests_expires ON pending_requests (expires_at);
      CREATE INDEX pending_requests_account ON pending_requests (account_code);
      CREATE TABLE consumed_assertions (
        id TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX consumed_assertions_expires ON consumed_assertions (expires_at);
      CREATE TABLE sessions (
        sid TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires_at);
    `,
  },
  {
    version: 2,
    name: 'metadata monitor events',
    sql: `
      -- What "Monitor Metadata URL" found. Events go with their account: they explain its profile.
      CREATE TABLE metadata_events (
        id TEXT PRIMARY KEY,
        account_code TEXT NOT NULL REFERENCES accounts(code) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        thumbprint TEXT NULL,
        code TEXT NULL
      );
      CREATE INDEX metadata_events_account_at ON metadata_events (account_code, at);
      CREATE INDEX metadata_events_at ON metadata_events (at);
    `,
  },
  {
    version: 3,
    name: 'identity keys fold A-Z only',
    sql: '',
    migrate: rekeyIdentities,
  },
  {
    version: 4,
    name: 'seed state',
    // What the walk-through seed wrote, per seeded object, so a restart can tell untouched values from edits.
    sql: `
      CREATE TABLE seed_state (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'trace retention pools',
    // 'account' or 'anonymous' (core tracePool): what retention a trace counts against.
    sql: `
      ALTER TABLE traces ADD COLUMN pool TEXT NOT NULL DEFAULT 'anonymous' CHECK (pool IN ('account', 'anonymous'));
      CREATE INDEX traces_pool_account_created ON traces (pool, account_code, created_at);
    `,
    migrate: placeTracesInPools,
  },
];

/** The newest schema version this code understands. */
export const latestSchemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);

/** The highest applied version, 0 for a fresh database. */
export function readSchemaVersion(db: Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings the schema up to date. Each migration runs in its own IMMEDIATE transaction and re-checks
 * whether it was applied, so two processes opening the same new file at once do not both apply it.
 * Throws AppError DATABASE_SCHEMA_NEWER when the file comes from a newer release: running old code on
 * it could silently lose data.
 */
export function applyMigrations(db: Database, list: readonly Migration[] = migrations): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const known = list.reduce((max, m) => Math.max(max, m.version), 0);
  const current = readSchemaVersion(db);
  if (current > known) {
    throw new AppError('DATABASE_SCHEMA_NEWER', undefined, { details: { databaseVersion: current, supportedVersion: known } });
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  const applied: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return false;
      db.exec(migration.sql);
      migration.migrate?.(db);
      record.run(migration.version, new Date().toISOString());
      return true;
    });
    if (apply.immediate()) applied.push(migration.version);
  }
  return applied;
}
