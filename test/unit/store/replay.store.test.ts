import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createSqliteStores, type SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const EXPIRES = new Date('2025-03-01T10:00:00.000Z');

describe('SqliteReplayCache', () => {
  let stores: SqliteStores;
  beforeEach(() => {
    stores = createMemoryStores();
  });
  afterEach(async () => {
    await stores.close();
  });

  test('has is false for an unseen assertion', async () => {
    assert.equal(await stores.replay.has('_a1'), false);
  });

  test('consume is true the first time, false the second, and has turns true', async () => {
    assert.equal(await stores.replay.consume('_a1', EXPIRES), true);
    assert.equal(await stores.replay.consume('_a1', EXPIRES), false);
    assert.equal(await stores.replay.has('_a1'), true);
    assert.equal(await stores.replay.has('_a2'), false);
  });

  test('consume refuses an invalid expiry', async () => {
    await assert.rejects(stores.replay.consume('_a1', new Date('nope')), RangeError);
  });

  test('purgeExpired removes only entries that expired before now', async () => {
    await stores.replay.consume('_early', new Date('2025-03-01T09:00:00.000Z'));
    await stores.replay.consume('_late', new Date('2025-03-01T11:00:00.000Z'));
    assert.equal(await stores.replay.purgeExpired(EXPIRES), 1);
    assert.equal(await stores.replay.has('_early'), false);
    assert.equal(await stores.replay.has('_late'), true);
    assert.equal(await stores.replay.purgeExpired(EXPIRES), 0);
  });

  test('a purged assertion id can be consumed again', async () => {
    await stores.replay.consume('_a1', new Date('2025-03-01T09:00:00.000Z'));
    await stores.replay.purgeExpired(EXPIRES);
    assert.equal(await stores.replay.consume('_a1', EXPIRES), true);
  });
});

describe('SqliteReplayCache across two connections to one file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-replay-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('of two connections consuming one assertion, exactly one wins', async () => {
    const path = join(dir, 'sp.sqlite');
    const one = createSqliteStores(path);
    const two = createSqliteStores(path);
    try {
      assert.equal(one.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(await one.replay.consume('_shared', EXPIRES), true);
      assert.equal(await two.replay.consume('_shared', EXPIRES), false);
      assert.equal(await two.replay.has('_shared'), true);
      const results = await Promise.all([two.replay.consume('_race', EXPIRES), one.replay.consume('_race', EXPIRES)]);
      assert.deepEqual([...results].sort(), [false, true]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
