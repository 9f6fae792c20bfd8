import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSqliteStores } from '../../../src/store/index.js';

const WORKERS = 4;
const IDS = 1000;
const STORE_MODULE = pathToFileURL(resolve(import.meta.dirname, '../../../src/store/index.ts')).href;

// Each worker opens its own connection, waits at a barrier so all start together, then tries every id.
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
register();
const { createSqliteStores } = await import(workerData.storeModule);
const stores = createSqliteStores(workerData.path);
const barrier = new Int32Array(workerData.barrier);
if (Atomics.add(barrier, 0, 1) + 1 === workerData.workers) Atomics.notify(barrier, 0);
for (let seen = Atomics.load(barrier, 0); seen < workerData.workers; seen = Atomics.load(barrier, 0)) Atomics.wait(barrier, 0, seen);
// A different order per worker, so connections meet on the same ids throughout rather than one leading.
const order = Array.from({ length: workerData.ids }, (_, i) => i).sort(() => Math.random() - 0.5);
const won = [];
for (const i of order) {
  const id = '_id' + i;
  const ok = workerData.op === 'take'
    ? (await stores.pending.take(id)) !== null
    : await stores.replay.consume(id, new Date(Date.now() + 60000));
  if (ok) won.push(id);
}
await stores.close();
parentPort.postMessage(won);
`;

function runWorkers(path: string, op: 'take' | 'consume'): Promise<string[][]> {
  const barrier = new SharedArrayBuffer(4);
  return Promise.all(
    Array.from({ length: WORKERS }, () => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { storeModule: STORE_MODULE, path, barrier, workers: WORKERS, ids: IDS, op },
      });
      return new Promise<string[]>((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
      });
    }),
  );
}

function assertEachWonOnce(results: string[][]): void {
  const all = results.flat();
  assert.equal(all.length, IDS);
  assert.equal(new Set(all).size, IDS);
}

describe('atomic take and consume across connections running at once', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-race-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('each assertion id is consumed by exactly one of several connections', async () => {
    const path = join(dir, 'replay.sqlite');
    await createSqliteStores(path).close();
    assertEachWonOnce(await runWorkers(path, 'consume'));
  });

  test('each pending request is taken by exactly one of several connections', async () => {
    const path = join(dir, 'pending.sqlite');
    const stores = createSqliteStores(path);
    for (let i = 0; i < IDS; i += 1) {
      await stores.pending.add({
        id: `_id${i}`,
        accountCode: 'CUK1A2',
        createdAt: '2025-03-01T09:00:00.000Z',
        expiresAt: '2025-03-01T09:10:00.000Z',
        relayState: null,
        requestedAuthnContexts: [],
      });
    }
    await stores.close();
    assertEachWonOnce(await runWorkers(path, 'take'));
  });
});
