/**
 * The mock Entra's password_is_temporary column (IdP migration 5): the flag lives in the column, not
 * in the record's JSON; a database of schema 4 upgrades with every user not temporary, except a
 * record that already carried the flag in its JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../../src/core/errors.js';
import { idpMigrations } from '../../../src/store/idp/idp-migrations.js';
import { createSqliteIdpStores } from '../../../src/store/idp/index.js';
import { buildStoreUser, STORE_TEST_CREATED, STORE_TEST_TENANT } from '../../_helpers/idp-store-users.js';

const TENANT = STORE_TEST_TENANT;
const CREATED = STORE_TEST_CREATED;
const PASSWORD = 'Temp-0nly-Passw0rd';

/** A database at IdP schema 4 (before the column), with contoso and two users written as JSON. */
function openSchema4(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.exec('CREATE TABLE idp_schema_version (version INTEGER NOT NULL)');
  for (const m of idpMigrations.filter((x) => x.version <= 4)) {
    db.exec(m.sql);
    m.migrate?.(db);
    db.prepare('INSERT INTO idp_schema_version (version) VALUES (?)').run(m.version);
  }
  db.prepare('INSERT INTO idp_tenants (tenant_id, name, json) VALUES (?, ?, ?)').run(
    TENANT,
    'contoso.onmicrosoft.com',
    JSON.stringify({ tenantId: TENANT, name: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.com'], createdAt: CREATED }),
  );
  const insert = db.prepare('INSERT INTO idp_users (tenant_id, upn_lower, object_id, json, password_hash) VALUES (?, ?, ?, ?, ?)');
  for (const user of [buildStoreUser('old'), buildStoreUser('flagged', { passwordIsTemporary: true })]) {
    insert.run(TENANT, user.userPrincipalName.toLowerCase(), user.objectId, JSON.stringify(user), 'scrypt$x');
  }
  return db;
}

describe('IdP store: password_is_temporary', () => {
  test('migration 5 adds the column: existing users are not temporary unless their record said so', async () => {
    const db = openSchema4();
    try {
      const stores = createSqliteIdpStores(db);
      const columns = db
        .prepare('SELECT name, type, "notnull" AS required, dflt_value AS dflt FROM pragma_table_info(\'idp_users\')')
        .all();
      assert.deepEqual(
        columns.find((c) => (c as { name: string }).name === 'password_is_temporary'),
        { name: 'password_is_temporary', type: 'INTEGER', required: 1, dflt: '0' },
      );
      assert.equal((await stores.users.findByUpn(TENANT, 'old@contoso.com'))?.passwordIsTemporary, undefined);
      assert.equal((await stores.users.findByUpn(TENANT, 'flagged@contoso.com'))?.passwordIsTemporary, true);
      const version = db.prepare('SELECT MAX(version) AS v FROM idp_schema_version').get() as { v: number };
      assert.equal(version.v, 5);
    } finally {
      db.close();
    }
  });

  test('the flag is written to the column, read back by every look-up, and never kept in the JSON', async () => {
    const db = openSchema4();
    try {
      const stores = createSqliteIdpStores(db);
      const created = await stores.users.create(buildStoreUser('temp', { passwordIsTemporary: true }), PASSWORD);
      assert.equal(created.passwordIsTemporary, true);
      const row = db.prepare("SELECT json, password_is_temporary AS t FROM idp_users WHERE object_id = 'oid-temp'").get() as {
        json: string;
        t: number;
      };
      assert.equal(row.t, 1);
      assert.equal('passwordIsTemporary' in JSON.parse(row.json), false);
      assert.equal((await stores.users.findByObjectId(TENANT, 'oid-temp'))?.passwordIsTemporary, true);
      assert.equal((await stores.users.findByUpnAnyTenant('TEMP@contoso.com'))?.passwordIsTemporary, true);
      assert.equal((await stores.users.verifyPassword(TENANT, 'temp@contoso.com', PASSWORD))?.passwordIsTemporary, true);
      assert.equal((await stores.users.list(TENANT)).find((u) => u.objectId === 'oid-temp')?.passwordIsTemporary, true);

      const { passwordIsTemporary: _cleared, ...rest } = created;
      await stores.users.updatePassword(rest, 'N3w-Chosen-Passw0rd!');
      assert.equal((await stores.users.findByObjectId(TENANT, 'oid-temp'))?.passwordIsTemporary, undefined);
      assert.equal(await stores.users.verifyPassword(TENANT, 'temp@contoso.com', PASSWORD), null);
      await assert.rejects(
        stores.users.updatePassword(buildStoreUser('gone'), 'N3w-Chosen-Passw0rd!'),
        (err: unknown) => err instanceof AppError && err.code === 'IDP_USER_NOT_FOUND',
      );
    } finally {
      db.close();
    }
  });
});
