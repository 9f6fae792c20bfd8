import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { closeRedis, connectRedis, REPLAY_MIN_RETAIN_MS, type RedisClientType, RedisReplayCache } from '../../../src/store/redis/index.js';
import { pollUntil } from '../../_helpers/poll.js';
import { startRedisServer, type TestRedisServer } from '../../_helpers/redis-server.js';

const IN_AN_HOUR = () => new Date(Date.now() + 3_600_000);

describe('RedisReplayCache', { timeout: 20_000 }, () => {
  let server: TestRedisServer;
  let one: RedisClientType;
  let two: RedisClientType;
  let cache: RedisReplayCache;
  let prefix: string;
  let n = 0;

  before(async () => {
    server = await startRedisServer();
    one = await connectRedis(server.url);
    two = await connectRedis(server.url);
  });
  after(async () => {
    if (one) await closeRedis(one);
    if (two) await closeRedis(two);
    if (server) await server.stop();
  });
  beforeEach(() => {
    prefix = `test-${++n}:`;
    cache = new RedisReplayCache(one, { prefix });
  });

  test('consume is true for the first use only, and has sees it', async () => {
    assert.equal(await cache.has('_a1'), false);
    assert.equal(await cache.consume('_a1', IN_AN_HOUR()), true);
    assert.equal(await cache.has('_a1'), true);
    assert.equal(await cache.consume('_a1', IN_AN_HOUR()), false);
    assert.equal(await cache.has('_a2'), false);
  });

  test('20 parallel consumes of one id from two connections: exactly one wins', async () => {
    const other = new RedisReplayCache(two, { prefix });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? cache : other).consume('_raced', IN_AN_HOUR())));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await other.has('_raced'), true);
  });

  test('the id expires at expiresAt (PXAT), after which it can be consumed again', async () => {
    // Two seconds ahead: long enough that the first checks run before it on a loaded machine.
    const expiresAt = new Date(Date.now() + 2_000);
    assert.equal(await cache.consume('_short', expiresAt), true);
    assert.equal(await cache.has('_short'), true);
    const ttl = await one.pTTL(`${prefix}replay:_short`);
    assert.ok(ttl > 0 && ttl <= 2_000, `PTTL ${ttl}`);
    assert.equal(await pollUntil(async () => !(await cache.has('_short')), 6_000), true);
    assert.ok(Date.now() >= expiresAt.getTime() - 50, 'not dropped before expiresAt');
    assert.equal(await cache.consume('_short', IN_AN_HOUR()), true);
  });

  test('an expiry already past still refuses the second use (kept for the minimum retention)', async () => {
    const past = new Date('2000-01-01T00:00:00.000Z');
    assert.equal(await cache.consume('_past', past), true);
    assert.equal(await cache.consume('_past', past), false);
    const ttl = await one.pTTL(`${prefix}replay:_past`);
    assert.ok(ttl > REPLAY_MIN_RETAIN_MS - 60_000 && ttl <= REPLAY_MIN_RETAIN_MS, `PTTL ${ttl}`);
  });

  test('consume refuses an expiry that is not a date', async () => {
    await assert.rejects(cache.consume('_bad', new Date('later')), RangeError);
  });

  test('purgeExpired removes nothing: Redis expires the keys', async () => {
    await cache.consume('_kept', IN_AN_HOUR());
    assert.equal(await cache.purgeExpired(new Date('2100-01-01T00:00:00.000Z')), 0);
    assert.equal(await cache.has('_kept'), true);
  });

  test('keys start with mock-mimecast:replay: by default', async () => {
    await new RedisReplayCache(one).consume(`_default-${n}`, IN_AN_HOUR());
    assert.equal(await one.exists(`mock-mimecast:replay:_default-${n}`), 1);
  });
});
