import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../../src/core/errors.js';
import { createSqliteStores } from '../../../src/store/index.js';
import { openDatabase } from '../../../src/store/sqlite/database.js';
import { applyMigrations, latestSchemaVersion, migrations, readSchemaVersion } from '../../../src/store/sqlite/migrations.js';

describe('openDatabase', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-db-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('creates the parent folder and sets WAL, foreign keys, busy timeout and synchronous on files', async () => {
    const path = join(dir, 'nested', 'deeper', 'sp.sqlite');
    const db = openDatabase(path);
    try {
      assert.ok((await stat(join(dir, 'nested', 'deeper'))).isDirectory());
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
    } finally {
      db.close();
    }
  });

  test('keeps :memory: in memory with foreign keys on', () => {
    const db = openDatabase(':memory:');
    try {
      assert.equal(db.memory, true);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(readSchemaVersion(db), latestSchemaVersion);
    } finally {
      db.close();
    }
  });

  test('creates every table the stores need', () => {
    const db = openDatabase(':memory:');
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
        (r) => r.name,
      );
      for (const name of [
        'accounts',
        'account_domains',
        'profiles',
        'directory_users',
        'traces',
        'pending_requests',
        'consumed_assertions',
        'sessions',
        'schema_migrations',
      ]) {
        assert.ok(tables.includes(name), name);
      }
    } finally {
      db.close();
    }
  });

  test('migrations are applied once and reopening keeps data and version', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = createSqliteStores(path);
    await first.accounts.create({
      code: 'CUK1A2',
      region: 'eu',
      name: 'Contoso',
      domains: ['contoso.com'],
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const rowsBefore = first.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    await first.close();

    const second = createSqliteStores(path);
    try {
      assert.deepEqual(second.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all(), rowsBefore);
      assert.equal(readSchemaVersion(second.db), latestSchemaVersion);
      assert.deepEqual(applyMigrations(second.db), []);
      assert.equal((await second.accounts.get('CUK1A2'))?.name, 'Contoso');
    } finally {
      await second.close();
    }
  });

  test('records applied_at for each version', () => {
    const db = openDatabase(':memory:');
    try {
      const rows = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as {
        version: number;
        applied_at: string;
      }[];
      assert.deepEqual(
        rows.map((r) => r.version),
        migrations.map((m) => m.version),
      );
      for (const row of rows) assert.ok(!Number.isNaN(Date.parse(row.applied_at)));
    } finally {
      db.close();
    }
  });

  test('applies a later migration on reopen without repeating earlier ones', () => {
    const db = openDatabase(':memory:');
    try {
      const next = { version: latestSchemaVersion + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' };
      assert.deepEqual(applyMigrations(db, [...migrations, next]), [next.version]);
      assert.deepEqual(applyMigrations(db, [...migrations, next]), []);
    } finally {
      db.close();
    }
  });

  test('rolls back a migration that fails and records nothing for it', () => {
    const db = openDatabase(':memory:');
    try {
      const broken = { version: latestSchemaVersion + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); NOT SQL' };
      assert.throws(() => applyMigrations(db, [...migrations, broken]));
      assert.equal(readSchemaVersion(db), latestSchemaVersion);
      assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get(), { n: 0 });
    } finally {
      db.close();
    }
  });

  test('traces written before pools were stored are placed by the same rule on upgrade', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      applyMigrations(
        db,
        migrations.filter((m) => m.version < 5),
      );
      const insert = db.prepare(
        `INSERT INTO traces (id, created_at, kind, binding, account_code, outcome, raw, xml, relay_state, checks_json, summary_json)
         VALUES (?, '2025-03-01T00:00:00.000Z', ?, 'HTTP-POST', ?, ?, '', NULL, NULL, ?, '{}')`,
      );
      const signature = (status: string) =>
        JSON.stringify([{ id: 'signature', title: 's', status, message: 's', specRef: 'SAML Core 5.4' }]);
      insert.run('success', 'response', 'CUK1A2', 'success', '[]');
      insert.run('signed-refusal', 'response', 'CUK1A2', 'failure', signature('pass'));
      insert.run('unsigned-claim', 'response', 'CUK1A2', 'failure', signature('fail'));
      insert.run('no-account', 'response', null, 'failure', '[]');
      insert.run('sign-in-start', 'authn-request', 'CUK1A2', 'sent', '[]');
      applyMigrations(db);
      const pools = Object.fromEntries(
        (db.prepare('SELECT id, pool FROM traces ORDER BY id').all() as { id: string; pool: string }[]).map((r) => [r.id, r.pool]),
      );
      assert.deepEqual(pools, {
        'no-account': 'anonymous',
        'sign-in-start': 'anonymous',
        'signed-refusal': 'account',
        success: 'account',
        'unsigned-claim': 'anonymous',
      });
    } finally {
      db.close();
    }
  });

  test('refuses a database whose schema is newer than the code knows', () => {
    const path = join(dir, 'newer.sqlite');
    const db = openDatabase(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(latestSchemaVersion + 1, new Date().toISOString());
    db.close();
    assert.throws(
      () => openDatabase(path),
      (err) => err instanceof AppError && err.code === 'DATABASE_SCHEMA_NEWER',
    );
  });
});
