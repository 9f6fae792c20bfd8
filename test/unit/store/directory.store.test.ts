import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import type { DirectoryUser } from '../../../src/core/sp/accounts.js';
import type { SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const CREATED = '2025-03-01T09:00:00.000Z';

function buildUser(overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    accountCode: 'CUK1A2',
    email: 'B.Simon@contoso.com',
    globalName: 'B.Simon',
    forceChangeAtLogin: false,
    roles: [],
    createdAt: CREATED,
    ...overrides,
  };
}

function isAppError(code: ErrorCode) {
  return (err: unknown) => err instanceof AppError && err.code === code;
}

describe('SqliteDirectoryStore', () => {
  let stores: SqliteStores;
  beforeEach(async () => {
    stores = createMemoryStores();
    await stores.accounts.create({ code: 'CUK1A2', region: 'eu', name: 'Contoso', domains: ['contoso.com'], createdAt: CREATED });
    await stores.accounts.create({ code: 'CUSA99', region: 'us', name: 'Fabrikam', domains: ['fabrikam.com'], createdAt: CREATED });
  });
  afterEach(async () => {
    await stores.close();
  });

  test('create returns the user as entered and find is case-insensitive', async () => {
    const user = buildUser({ roles: ['Basic Administrator'], forceChangeAtLogin: true });
    assert.deepEqual(await stores.directory.create(user, null), user);
    assert.deepEqual(await stores.directory.find('CUK1A2', 'b.simon@CONTOSO.com'), user);
    assert.deepEqual(await stores.directory.find('CUK1A2', 'B.SIMON@contoso.com'), user);
  });

  test('find returns null for an unknown address or another account', async () => {
    await stores.directory.create(buildUser(), null);
    assert.equal(await stores.directory.find('CUK1A2', 'nobody@contoso.com'), null);
    assert.equal(await stores.directory.find('CUSA99', 'b.simon@contoso.com'), null);
  });

  test("list returns only the account's users, ordered by address", async () => {
    await stores.directory.create(buildUser({ email: 'zed@contoso.com', globalName: 'Zed' }), null);
    await stores.directory.create(buildUser(), null);
    await stores.directory.create(buildUser({ accountCode: 'CUSA99', email: 'alex@fabrikam.com' }), null);
    assert.deepEqual(
      (await stores.directory.list('CUK1A2')).map((u) => u.email),
      ['B.Simon@contoso.com', 'zed@contoso.com'],
    );
    assert.deepEqual(await stores.directory.list('CUKNONE1'), []);
  });

  test('create refuses a duplicate address whatever its case with USER_EXISTS', async () => {
    await stores.directory.create(buildUser(), null);
    await assert.rejects(stores.directory.create(buildUser({ email: 'b.simon@CONTOSO.COM' }), 'x'), isAppError('USER_EXISTS'));
  });

  test('the same address may exist in two accounts', async () => {
    await stores.directory.create(buildUser(), null);
    const other = await stores.directory.create(buildUser({ accountCode: 'CUSA99' }), null);
    assert.equal(other.accountCode, 'CUSA99');
  });

  test('create for an unknown account throws ACCOUNT_NOT_FOUND', async () => {
    await assert.rejects(stores.directory.create(buildUser({ accountCode: 'CUKNONE1' }), null), isAppError('ACCOUNT_NOT_FOUND'));
  });

  test('update replaces name, roles and force-change, matching the address case-insensitively', async () => {
    await stores.directory.create(buildUser(), 'Passw0rd!');
    const updated = await stores.directory.update(
      buildUser({ email: 'b.simon@contoso.com', globalName: 'Britta Simon', roles: ['Super Administrator'], forceChangeAtLogin: true }),
    );
    assert.deepEqual(
      updated,
      buildUser({ email: 'b.simon@contoso.com', globalName: 'Britta Simon', roles: ['Super Administrator'], forceChangeAtLogin: true }),
    );
    assert.deepEqual(await stores.directory.find('CUK1A2', 'B.Simon@contoso.com'), updated);
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'b.simon@contoso.com', 'Passw0rd!'), true);
  });

  test('update of an unknown address throws USER_NOT_FOUND', async () => {
    await assert.rejects(stores.directory.update(buildUser()), isAppError('USER_NOT_FOUND'));
  });

  test('delete is case-insensitive and false when nothing was removed', async () => {
    await stores.directory.create(buildUser(), null);
    assert.equal(await stores.directory.delete('CUK1A2', 'B.SIMON@CONTOSO.COM'), true);
    assert.equal(await stores.directory.find('CUK1A2', 'b.simon@contoso.com'), null);
    assert.equal(await stores.directory.delete('CUK1A2', 'b.simon@contoso.com'), false);
  });

  test('verifyPassword accepts the right password and refuses a wrong one', async () => {
    await stores.directory.create(buildUser(), 'Passw0rd!');
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'b.simon@contoso.com', 'Passw0rd!'), true);
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'b.simon@contoso.com', 'passw0rd!'), false);
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'b.simon@contoso.com', ''), false);
  });

  test('verifyPassword is false for an unknown user, another account, or a user without a password', async () => {
    await stores.directory.create(buildUser(), 'Passw0rd!');
    await stores.directory.create(buildUser({ email: 'sso.only@contoso.com' }), null);
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'nobody@contoso.com', 'Passw0rd!'), false);
    assert.equal(await stores.directory.verifyPassword('CUSA99', 'b.simon@contoso.com', 'Passw0rd!'), false);
    assert.equal(await stores.directory.verifyPassword('CUK1A2', 'sso.only@contoso.com', ''), false);
  });

  test('passwords are stored as salted scrypt, never in clear, and two equal passwords hash differently', async () => {
    await stores.directory.create(buildUser(), 'Passw0rd!');
    await stores.directory.create(buildUser({ email: 'other@contoso.com' }), 'Passw0rd!');
    const hashes = (
      stores.db.prepare('SELECT password_hash FROM directory_users ORDER BY email_lower').all() as { password_hash: string }[]
    ).map((r) => r.password_hash);
    for (const hash of hashes) {
      const parts = hash.split('$');
      assert.equal(parts.length, 6);
      assert.equal(parts[0], 'scrypt');
      assert.equal(Buffer.from(parts[4] ?? '', 'base64').length, 16);
      assert.ok(!hash.includes('Passw0rd!'));
    }
    assert.notEqual(hashes[0], hashes[1]);
  });

  test('verifyPassword is false for a tampered or foreign hash', async () => {
    await stores.directory.create(buildUser(), 'Passw0rd!');
    const setHash = stores.db.prepare('UPDATE directory_users SET password_hash = ?');
    for (const bad of ['plaintext', 'bcrypt$10$abc', 'scrypt$3$8$1$AAAA$AAAA', 'scrypt$1073741824$8$1$AAAA$AAAA', 'scrypt$16384$8$1$$']) {
      setHash.run(bad);
      assert.equal(await stores.directory.verifyPassword('CUK1A2', 'b.simon@contoso.com', 'Passw0rd!'), false, bad);
    }
  });
});
