/**
 * The mock Entra's schema, kept apart from the SP's: its own tables (prefixed idp_) and its own
 * version table, so it can live in the SP's database file or in one of its own.
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { normalizeUpn } from '../../core/idp/directory.js';

/** One schema step; versions are consecutive from 1 and never edited once released. */
export interface IdpMigration {
  version: number;
  name: string;
  sql: string;
  /** A step computed in code (the same fold as the store uses), run after `sql` in its transaction. */
  migrate?: (db: Database) => void;
}

/**
 * UPN keys written before identities were folded in ASCII only were lower-cased with toLowerCase,
 * which folds look-alikes such as U+212A KELVIN SIGN onto ASCII; recompute them from the stored UPN.
 * Two rows whose new keys are equal already had equal old keys, so this cannot collide.
 */
function rekeyUpns(db: Database): void {
  const rows = db.prepare('SELECT rowid AS id, json FROM idp_users').all() as { id: number; json: string }[];
  const setKey = db.prepare('UPDATE idp_users SET upn_lower = ? WHERE rowid = ?');
  for (const row of rows) setKey.run(normalizeUpn((JSON.parse(row.json) as { userPrincipalName: string }).userPrincipalName), row.id);
}

export const idpMigrations: readonly IdpMigration[] = [
  {
    version: 1,
    name: 'tenants, users, apps',
    sql: `
      CREATE TABLE idp_tenants (
        tenant_id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL
      );
      CREATE TABLE idp_users (
        tenant_id TEXT NOT NULL REFERENCES idp_tenants(tenant_id) ON DELETE CASCADE,
        upn_lower TEXT NOT NULL,
        object_id TEXT NOT NULL,
        json TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        PRIMARY KEY (tenant_id, upn_lower)
      );
      CREATE UNIQUE INDEX idp_users_object ON idp_users (tenant_id, object_id);
      CREATE INDEX idp_users_upn ON idp_users (upn_lower);
      CREATE TABLE idp_apps (
        app_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES idp_tenants(tenant_id) ON DELETE CASCADE,
        json TEXT NOT NULL
      );
      CREATE INDEX idp_apps_tenant ON idp_apps (tenant_id);
    `,
  },
  { version: 2, name: 'UPN keys fold A-Z only', sql: '', migrate: rekeyUpns },
  {
    version: 3,
    name: 'tenant keys for the tenant-wide metadata',
    sql: `
      CREATE TABLE idp_tenant_keys (
        tenant_id TEXT PRIMARY KEY REFERENCES idp_tenants(tenant_id) ON DELETE CASCADE,
        json TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'sign-in logs',
    sql: `
      CREATE TABLE idp_sign_in_logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL REFERENCES idp_tenants(tenant_id) ON DELETE CASCADE,
        json TEXT NOT NULL
      );
      CREATE INDEX idp_sign_in_logs_tenant ON idp_sign_in_logs (tenant_id, seq);
    `,
  },
  {
    version: 5,
    name: 'temporary passwords',
    // A record written with the flag inside its JSON keeps it: the column is the truth from here on.
    sql: `
      ALTER TABLE idp_users ADD COLUMN password_is_temporary INTEGER NOT NULL DEFAULT 0;
      UPDATE idp_users SET password_is_temporary = 1 WHERE json_extract(json, '$.passwordIsTemporary') = 1;
    `,
  },
];

/** Applies the pending IdP migrations in one transaction each; refuses a newer schema. */
export function applyIdpMigrations(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS idp_schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM idp_schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = idpMigrations[idpMigrations.length - 1]?.version ?? 0;
  if (current > latest) throw new AppError('DATABASE_SCHEMA_NEWER', undefined, { details: { idpSchema: current, supported: latest } });
  for (const migration of idpMigrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.migrate?.(db);
      db.prepare('INSERT INTO idp_schema_version (version) VALUES (?)').run(migration.version);
    })();
  }
}
