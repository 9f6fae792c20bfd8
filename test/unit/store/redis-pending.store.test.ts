import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PendingRequest } from '../../../src/core/sp/ports.js';
import { closeRedis, connectRedis, type RedisClientType, RedisPendingRequestStore } from '../../../src/store/redis/index.js';
import { pollUntil } from '../../_helpers/poll.js';
import { startRedisServer, type TestRedisServer } from '../../_helpers/redis-server.js';

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

describe('RedisPendingRequestStore', { timeout: 20_000 }, () => {
  let server: TestRedisServer;
  let one: RedisClientType;
  let two: RedisClientType;
  let store: RedisPendingRequestStore;
  let prefix: string;
  let n = 0;

  before(async () => {
    server = await startRedisServer();
    one = await connectRedis(server.url);
    two = await connectRedis(server.url);
  });
  after(async () => {
    // Each step runs even when one before it failed, so the server never outlives the test.
    if (one) await closeRedis(one);
    if (two) await closeRedis(two);
    if (server) await server.stop();
  });
  beforeEach(() => {
    prefix = `test-${++n}:`;
    store = new RedisPendingRequestStore(one, { prefix });
  });

  test('add then get round-trips, and get does not consume', async () => {
    const request = buildRequest('_req1');
    await store.add(request);
    assert.deepEqual(await store.get('_req1'), request);
    assert.deepEqual(await store.get('_req1'), request);
  });

  test('keeps a null relay state and no requested contexts', async () => {
    const request = buildRequest('_req1', { relayState: null, requestedAuthnContexts: [] });
    await store.add(request);
    assert.deepEqual(await store.get('_req1'), request);
  });

  test('get and take return null for an unknown id', async () => {
    assert.equal(await store.get('_nope'), null);
    assert.equal(await store.take('_nope'), null);
  });

  test('take returns the request once, then null', async () => {
    const request = buildRequest('_req1');
    await store.add(request);
    assert.deepEqual(await store.take('_req1'), request);
    assert.equal(await store.take('_req1'), null);
    assert.equal(await store.get('_req1'), null);
  });

  test('20 parallel takes of one id from two connections: exactly one wins', async () => {
    const other = new RedisPendingRequestStore(two, { prefix });
    await store.add(buildRequest('_raced'));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).take('_raced')));
    const winners = results.filter((r) => r !== null);
    assert.equal(winners.length, 1);
    assert.equal(winners[0]?.id, '_raced');
    assert.equal(await other.get('_raced'), null);
  });

  test('a request added through one connection is read and taken through another', async () => {
    const other = new RedisPendingRequestStore(two, { prefix });
    await store.add(buildRequest('_shared'));
    assert.deepEqual(await other.get('_shared'), buildRequest('_shared'));
    assert.deepEqual(await other.take('_shared'), buildRequest('_shared'));
    assert.equal(await store.take('_shared'), null);
  });

  test('get still returns an expired request so the report can say so', async () => {
    await store.add(buildRequest('_old', { createdAt: '2000-01-01T00:00:00.000Z', expiresAt: '2000-01-01T00:10:00.000Z' }));
    assert.equal((await store.get('_old'))?.expiresAt, '2000-01-01T00:10:00.000Z');
  });

  test('the key lives for the request lifetime plus the retention, whatever clock made the times', async () => {
    await store.add(buildRequest('_ttl'));
    const ttl = await one.pTTL(`${prefix}pending:_ttl`);
    // 10 minutes of lifetime (09:00 → 09:10) and 10 minutes of retention.
    assert.ok(ttl > 19 * 60_000 && ttl <= 20 * 60_000, `PTTL ${ttl}`);
  });

  test('Redis drops the request once the retention after expiry has passed', async () => {
    const short = new RedisPendingRequestStore(one, { prefix, retainExpiredMs: 2_000 });
    await short.add(buildRequest('_brief', { createdAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-01T09:00:00.100Z' }));
    // Lifetime 100 ms + retention 2 s: present at once even on a loaded machine, gone within a few seconds.
    assert.notEqual(await short.get('_brief'), null);
    const ttl = await one.pTTL(`${prefix}pending:_brief`);
    assert.ok(ttl > 0 && ttl <= 2_100, `PTTL ${ttl}`);
    assert.equal(await pollUntil(async () => (await short.get('_brief')) === null, 6_000), true);
  });

  test('add refuses a duplicate id', async () => {
    await store.add(buildRequest('_req1'));
    await assert.rejects(store.add(buildRequest('_req1')));
  });

  test('add refuses an expiry that is not a date', async () => {
    await assert.rejects(store.add(buildRequest('_req1', { expiresAt: 'later' })), RangeError);
  });

  test('purgeExpired removes nothing: Redis expires the keys', async () => {
    await store.add(buildRequest('_a', { expiresAt: '2025-03-01T09:05:00.000Z' }));
    assert.equal(await store.purgeExpired(new Date('2030-01-01T00:00:00.000Z')), 0);
    assert.notEqual(await store.get('_a'), null);
  });

  test('keys start with mock-mimecast:pending: by default', async () => {
    const plain = new RedisPendingRequestStore(one);
    await plain.add(buildRequest(`_default-${n}`));
    assert.equal(await one.exists(`mock-mimecast:pending:_default-${n}`), 1);
  });
});
