import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { type Account, buildDefaultProfile } from '../../../src/core/sp/accounts.js';
import type { SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const CREATED = '2025-03-01T09:00:00.000Z';

function buildAccount(overrides: Partial<Account> = {}): Account {
  return { code: 'CUK1A2', region: 'eu', name: 'Contoso', domains: ['contoso.com'], createdAt: CREATED, ...overrides };
}

function isAppError(code: ErrorCode) {
  return (err: unknown) => err instanceof AppError && err.code === code;
}

describe('SqliteAccountStore', () => {
  let stores: SqliteStores;
  beforeEach(() => {
    stores = createMemoryStores();
  });
  afterEach(async () => {
    await stores.close();
  });

  test('create then get returns the account with lower-cased, de-duplicated domains in order', async () => {
    const created = await stores.accounts.create(buildAccount({ domains: ['Contoso.com', 'B.Contoso.COM ', 'contoso.com'] }));
    assert.deepEqual(created, buildAccount({ domains: ['contoso.com', 'b.contoso.com'] }));
    assert.deepEqual(await stores.accounts.get('CUK1A2'), created);
  });

  test('get returns null for an unknown code', async () => {
    assert.equal(await stores.accounts.get('CUKNONE1'), null);
  });

  test('list returns every account by code with its own domains', async () => {
    await stores.accounts.create(buildAccount({ code: 'CUSA99', region: 'us', name: 'Fabrikam', domains: ['fabrikam.com'] }));
    await stores.accounts.create(buildAccount());
    await stores.accounts.create(buildAccount({ code: 'CDE777', region: 'de', name: 'NoDomains', domains: [] }));
    const list = await stores.accounts.list();
    assert.deepEqual(
      list.map((a) => [a.code, a.domains]),
      [
        ['CDE777', []],
        ['CUK1A2', ['contoso.com']],
        ['CUSA99', ['fabrikam.com']],
      ],
    );
  });

  test('list is empty on a new database', async () => {
    assert.deepEqual(await stores.accounts.list(), []);
  });

  test('findByDomain is case-insensitive and null for an unknown domain', async () => {
    await stores.accounts.create(buildAccount());
    assert.equal((await stores.accounts.findByDomain('CONTOSO.com'))?.code, 'CUK1A2');
    assert.equal(await stores.accounts.findByDomain('fabrikam.com'), null);
  });

  test('create refuses a duplicate code with ACCOUNT_EXISTS and leaves the first intact', async () => {
    await stores.accounts.create(buildAccount());
    await assert.rejects(stores.accounts.create(buildAccount({ name: 'Other', domains: ['other.com'] })), isAppError('ACCOUNT_EXISTS'));
    assert.equal((await stores.accounts.get('CUK1A2'))?.name, 'Contoso');
    assert.equal(await stores.accounts.findByDomain('other.com'), null);
  });

  test('create refuses a domain owned by another account with DOMAIN_IN_USE and writes nothing', async () => {
    await stores.accounts.create(buildAccount());
    await assert.rejects(
      stores.accounts.create(buildAccount({ code: 'CUSA99', domains: ['fabrikam.com', 'CONTOSO.COM'] })),
      isAppError('DOMAIN_IN_USE'),
    );
    assert.equal(await stores.accounts.get('CUSA99'), null);
    assert.equal(await stores.accounts.findByDomain('fabrikam.com'), null);
  });

  test('update replaces name, region and domains but keeps createdAt', async () => {
    await stores.accounts.create(buildAccount({ domains: ['contoso.com', 'old.contoso.com'] }));
    const updated = await stores.accounts.update(
      buildAccount({
        name: 'Contoso Ltd',
        region: 'us',
        domains: ['contoso.com', 'NEW.contoso.com'],
        createdAt: '2030-01-01T00:00:00.000Z',
      }),
    );
    assert.deepEqual(updated, buildAccount({ name: 'Contoso Ltd', region: 'us', domains: ['contoso.com', 'new.contoso.com'] }));
    assert.equal(await stores.accounts.findByDomain('old.contoso.com'), null);
    assert.equal((await stores.accounts.findByDomain('new.contoso.com'))?.code, 'CUK1A2');
  });

  test('update of a missing account throws ACCOUNT_NOT_FOUND', async () => {
    await assert.rejects(stores.accounts.update(buildAccount()), isAppError('ACCOUNT_NOT_FOUND'));
  });

  test("update refuses another account's domain with DOMAIN_IN_USE and keeps the old state", async () => {
    await stores.accounts.create(buildAccount());
    await stores.accounts.create(buildAccount({ code: 'CUSA99', name: 'Fabrikam', domains: ['fabrikam.com'] }));
    await assert.rejects(
      stores.accounts.update(buildAccount({ name: 'Renamed', domains: ['contoso.com', 'fabrikam.com'] })),
      isAppError('DOMAIN_IN_USE'),
    );
    assert.deepEqual(await stores.accounts.get('CUK1A2'), buildAccount());
  });

  test('delete removes the account with its domains, profile, directory and pending requests', async () => {
    await stores.accounts.create(buildAccount());
    await stores.accounts.create(buildAccount({ code: 'CUSA99', domains: ['fabrikam.com'] }));
    await stores.profiles.put(buildDefaultProfile('CUK1A2', new Date(CREATED)));
    await stores.directory.create(
      {
        accountCode: 'CUK1A2',
        email: 'b.simon@contoso.com',
        globalName: 'B.Simon',
        forceChangeAtLogin: false,
        roles: [],
        createdAt: CREATED,
      },
      null,
    );
    const pending = {
      accountCode: 'CUK1A2',
      createdAt: CREATED,
      expiresAt: '2025-03-01T09:10:00.000Z',
      relayState: null,
      requestedAuthnContexts: [],
    };
    await stores.pending.add({ id: '_req-mine', ...pending });
    await stores.pending.add({ id: '_req-other', ...pending, accountCode: 'CUSA99' });

    assert.equal(await stores.accounts.delete('CUK1A2'), true);
    assert.equal(await stores.accounts.get('CUK1A2'), null);
    assert.equal(await stores.accounts.findByDomain('contoso.com'), null);
    assert.equal(await stores.profiles.get('CUK1A2'), null);
    assert.deepEqual(await stores.directory.list('CUK1A2'), []);
    assert.equal(await stores.pending.get('_req-mine'), null);
    assert.notEqual(await stores.pending.get('_req-other'), null);
    assert.equal((await stores.accounts.get('CUSA99'))?.code, 'CUSA99');
  });

  test('a deleted domain can be given to another account', async () => {
    await stores.accounts.create(buildAccount());
    await stores.accounts.delete('CUK1A2');
    const other = await stores.accounts.create(buildAccount({ code: 'CUSA99' }));
    assert.deepEqual(other.domains, ['contoso.com']);
  });

  test('delete returns false for an unknown account', async () => {
    assert.equal(await stores.accounts.delete('CUKNONE1'), false);
  });
});
