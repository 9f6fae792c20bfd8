/**
 * The seeded user's password is printed at every start, so the mock Entra hashes it at the low public cost;
 * every other password (and a later change of that one) gets the store's own cost. Either verifies.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createSqliteIdpStores } from '../../../src/store/idp/index.js';
import { PUBLIC_PASSWORD_HASH_PARAMS } from '../../../src/store/sqlite/password.js';
import { buildStoreUser, STORE_TEST_CREATED, STORE_TEST_TENANT } from '../../_helpers/idp-store-users.js';

const TENANT = STORE_TEST_TENANT;
const CREATED = STORE_TEST_CREATED;
const PASSWORD = 'Test-only-Passw0rd!';

/** The scrypt N the stored hash of `local` was made with (`scrypt$N$r$p$salt$hash`). */
function storedCost(db: BetterSqlite3.Database, local: string): number {
  const row = db.prepare('SELECT password_hash FROM idp_users WHERE object_id = ?').get(`oid-${local}`) as { password_hash: string };
  return Number(row.password_hash.split('$')[1]);
}

describe('mock Entra users: the cost of a public password', () => {
  test('a public password is hashed at the public cost, any other at the default, a change at the default; all verify', async () => {
    const db = new BetterSqlite3(':memory:');
    try {
      const stores = createSqliteIdpStores(db);
      await stores.tenants.create({
        tenantId: TENANT,
        name: 'contoso.onmicrosoft.com',
        verifiedDomains: ['contoso.com'],
        createdAt: CREATED,
      });
      await stores.users.create(buildStoreUser('b.simon'), PASSWORD, { passwordIsPublic: true });
      await stores.users.create(buildStoreUser('alex'), PASSWORD);
      assert.equal(storedCost(db, 'b.simon'), PUBLIC_PASSWORD_HASH_PARAMS.N);
      assert.equal(storedCost(db, 'alex'), 16384);
      assert.equal((await stores.users.verifyPassword(TENANT, 'b.simon@contoso.com', PASSWORD))?.objectId, 'oid-b.simon');
      assert.equal(await stores.users.verifyPassword(TENANT, 'b.simon@contoso.com', `${PASSWORD}x`), null);

      // A password a person sets is theirs, not the printed one: the store's own cost again.
      await stores.users.updatePassword(buildStoreUser('b.simon'), 'Another-Passw0rd!');
      assert.equal(storedCost(db, 'b.simon'), 16384);
      assert.equal((await stores.users.verifyPassword(TENANT, 'b.simon@contoso.com', 'Another-Passw0rd!'))?.objectId, 'oid-b.simon');
    } finally {
      db.close();
    }
  });
});
