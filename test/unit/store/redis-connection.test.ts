import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type session from 'express-session';
import { type Config, defaults } from '../../../src/config/defaults.js';
import { AppError } from '../../../src/core/errors.js';
import { openSpStores } from '../../../src/runtime/stores.js';
import {
  closeRedis,
  connectRedis,
  createRedisSessionStore,
  type RedisClientType,
  RedisPendingRequestStore,
  RedisReplayCache,
} from '../../../src/store/redis/index.js';
import { SqlitePendingRequestStore } from '../../../src/store/sqlite/pending.store.js';
import { findFreePort, startRedisServer, type TestRedisServer } from '../../_helpers/redis-server.js';

/** A TCP server that accepts and never answers: a Redis that hangs. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The rejection of `promise`, which must reject. */
async function catchRejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function callStore<T>(run: (callback: (err: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));
}

describe('connectRedis and openSpStores', { timeout: 20_000 }, () => {
  let server: TestRedisServer;
  let dir: string;

  before(async () => {
    server = await startRedisServer();
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-redis-stores-'));
  });
  after(async () => {
    if (server) await server.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('nothing listening: REDIS_UNAVAILABLE at once, naming REDIS_URL, without the password', async () => {
    const started = Date.now();
    const port = await findFreePort();
    const error = await catchRejection(connectRedis(`redis://user:hunter2@127.0.0.1:${port}`, { connectTimeoutMs: 1_000 }));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'REDIS_UNAVAILABLE');
    assert.equal(error.status, 503);
    assert.match(error.hint, /REDIS_URL/);
    assert.doesNotMatch(error.message, /hunter2/);
    assert.ok(Date.now() - started < 1_500);
  });

  test('a server that never answers: REDIS_UNAVAILABLE after the connect timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const error = await catchRejection(connectRedis(`redis://127.0.0.1:${silent.port}`, { connectTimeoutMs: 300 }));
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'REDIS_UNAVAILABLE');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      await silent.close();
    }
  });

  test('a store on a closed client fails with REDIS_UNAVAILABLE', async () => {
    const client = await connectRedis(server.url);
    await closeRedis(client);
    await closeRedis(client);
    const error = await catchRejection(new RedisPendingRequestStore(client).get('_x'));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'REDIS_UNAVAILABLE');
  });

  test('a Redis that stops answering fails a store command with REDIS_UNAVAILABLE after its timeout', async () => {
    const client = await connectRedis(server.url);
    const admin = await connectRedis(server.url);
    try {
      // Paused far longer than the command timeout, so only the timeout can end the wait in time.
      await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL']);
      const started = Date.now();
      const error = await catchRejection(new RedisReplayCache(client, { commandTimeoutMs: 200 }).has('_x'));
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'REDIS_UNAVAILABLE');
      assert.ok(Date.now() - started < 1_500);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
      await closeRedis(client);
      await closeRedis(admin);
    }
  });

  test('the session store keeps sessions under mock-mimecast:sess: with a day-long lifetime', async () => {
    const client: RedisClientType = await connectRedis(server.url);
    try {
      const store = createRedisSessionStore(client);
      const data = { cookie: { originalMaxAge: null, path: '/', httpOnly: true } } as unknown as session.SessionData;
      await callStore<void>((cb) => store.set('sid-1', data, cb));
      assert.deepEqual(await callStore((cb) => store.get('sid-1', cb)), data);
      const ttl = await client.ttl('mock-mimecast:sess:sid-1');
      assert.ok(ttl > 86_000 && ttl <= 86_400, `TTL ${ttl}`);
      await callStore<void>((cb) => store.destroy('sid-1', cb));
      assert.equal(await callStore((cb) => store.get('sid-1', cb)), null);
    } finally {
      await closeRedis(client);
    }
  });

  test('openSpStores without redisUrl keeps everything in SQLite', async () => {
    const config: Config = { ...defaults, databasePath: join(dir, 'plain.sqlite'), redisUrl: null };
    const stores = await openSpStores(config);
    try {
      assert.ok(stores.pending instanceof SqlitePendingRequestStore);
      await stores.purgeSessions();
    } finally {
      await stores.close();
      await stores.close();
    }
  });

  test('openSpStores with redisUrl shares pending, replay and sessions through Redis', async () => {
    const config: Config = { ...defaults, databasePath: join(dir, 'shared.sqlite'), redisUrl: server.url };
    const a = await openSpStores(config, { redisKeyPrefix: 'open-test:' });
    const b = await openSpStores(config, { redisKeyPrefix: 'open-test:' });
    try {
      assert.ok(a.pending instanceof RedisPendingRequestStore);
      assert.ok(a.replay instanceof RedisReplayCache);
      const now = new Date();
      await a.pending.add({
        id: '_r1',
        accountCode: 'C1',
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 60_000).toISOString(),
        relayState: null,
        requestedAuthnContexts: [],
      });
      assert.equal((await b.pending.take('_r1'))?.id, '_r1');
      assert.equal(await a.replay.consume('_a1', new Date(now.getTime() + 60_000)), true);
      assert.equal(await b.replay.has('_a1'), true);
      await a.purgeSessions();
    } finally {
      await a.close();
      await a.close();
      await b.close();
    }
  });

  test('openSpStores with an unreachable redisUrl refuses to start with REDIS_UNAVAILABLE', async () => {
    const config: Config = { ...defaults, databasePath: join(dir, 'down.sqlite'), redisUrl: `redis://127.0.0.1:${await findFreePort()}` };
    const error = await catchRejection(openSpStores(config, { redisConnectTimeoutMs: 500 }));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'REDIS_UNAVAILABLE');
  });
});
