import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { PendingRequest } from '../../../src/core/sp/ports.js';
import { createSqliteStores, type SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

function buildRequest(id: string, overrides: Partial<PendingRequest> = {}): PendingRequest {
  return {
    id,
    accountCode: 'CUK1A2',
    createdAt: '2025-03-01T09:00:00.000Z',
    expiresAt: '2025-03-01T09:10:00.000Z',
    relayState: '/portal',
    requestedAuthnContexts: ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'],
    ...overrides,
  };
}

describe('SqlitePendingRequestStore', () => {
  let stores: SqliteStores;
  beforeEach(() => {
    stores = createMemoryStores();
  });
  afterEach(async () => {
    await stores.close();
  });

  test('add then get round-trips, and get does not consume', async () => {
    const request = buildRequest('_req1');
    await stores.pending.add(request);
    assert.deepEqual(await stores.pending.get('_req1'), request);
    assert.deepEqual(await stores.pending.get('_req1'), request);
  });

  test('keeps a null relay state and no requested contexts', async () => {
    const request = buildRequest('_req1', { relayState: null, requestedAuthnContexts: [] });
    await stores.pending.add(request);
    assert.deepEqual(await stores.pending.get('_req1'), request);
  });

  test('get and take return null for an unknown id', async () => {
    assert.equal(await stores.pending.get('_nope'), null);
    assert.equal(await stores.pending.take('_nope'), null);
  });

  test('take returns the request once, then null', async () => {
    const request = buildRequest('_req1');
    await stores.pending.add(request);
    assert.deepEqual(await stores.pending.take('_req1'), request);
    assert.equal(await stores.pending.take('_req1'), null);
    assert.equal(await stores.pending.get('_req1'), null);
  });

  test('get still returns an expired request so the report can say so', async () => {
    await stores.pending.add(buildRequest('_old', { expiresAt: '2000-01-01T00:00:00.000Z' }));
    assert.equal((await stores.pending.get('_old'))?.expiresAt, '2000-01-01T00:00:00.000Z');
  });

  test('add refuses a duplicate id', async () => {
    await stores.pending.add(buildRequest('_req1'));
    await assert.rejects(stores.pending.add(buildRequest('_req1')));
  });

  test('add refuses an expiry that is not a date', async () => {
    await assert.rejects(stores.pending.add(buildRequest('_req1', { expiresAt: 'later' })), RangeError);
  });

  test('purgeExpired removes only requests that expired before now', async () => {
    await stores.pending.add(buildRequest('_a', { expiresAt: '2025-03-01T09:05:00.000Z' }));
    await stores.pending.add(buildRequest('_b', { expiresAt: '2025-03-01T09:10:00.000Z' }));
    await stores.pending.add(buildRequest('_c', { expiresAt: '2025-03-01T09:15:00.000Z' }));
    assert.equal(await stores.pending.purgeExpired(new Date('2025-03-01T09:10:00.000Z')), 1);
    assert.equal(await stores.pending.get('_a'), null);
    assert.notEqual(await stores.pending.get('_b'), null);
    assert.equal(await stores.pending.purgeExpired(new Date('2025-03-01T10:00:00.000Z')), 2);
    assert.equal(await stores.pending.purgeExpired(new Date('2025-03-01T10:00:00.000Z')), 0);
  });
});

describe('SqlitePendingRequestStore across two connections to one file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-pending-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('only one connection takes a request', async () => {
    const path = join(dir, 'sp.sqlite');
    const one = createSqliteStores(path);
    const two = createSqliteStores(path);
    try {
      await one.pending.add(buildRequest('_shared'));
      assert.deepEqual(await two.pending.get('_shared'), buildRequest('_shared'));
      const results = await Promise.all([two.pending.take('_shared'), one.pending.take('_shared')]);
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal(await one.pending.get('_shared'), null);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
