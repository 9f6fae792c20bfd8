/**
 * Run by memory.bench.ts as `node --expose-gc --import tsx bench/sections/memory-child.ts <json>`
 * with an IPC channel: a fresh process, so the resident set measured is the harness's alone. It
 * tells the parent where to address responses, then calls the ACS core in process on the batches the
 * parent signs meanwhile on the other core (never more than two batches ahead), runs the stores'
 * purge as the harness's 60-second timer does, and prints one JSON line with RSS before, during and
 * after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { startInProcessSp } from '../lib/in-process-sp.js';
import type { ResponseTarget } from '../lib/responses.js';

/** Messages between this child and memory.bench.ts. */
export type ToParent = { type: 'ready'; target: ResponseTarget } | { type: 'want'; count: number };
export type ToChild = { type: 'batch'; responses: string[] };

interface ChildOptions {
  requests: number;
  warmup: number;
  batch: number;
  purgeEvery: number;
  sampleEvery: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const gc = (globalThis as { gc?: () => void }).gc;

function measure(): { rss: number; heapUsed: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

const arrived: string[][] = [];
let wake: (() => void) | null = null;
process.on('message', (message: ToChild) => {
  if (message.type !== 'batch') return;
  arrived.push(message.responses);
  wake?.();
});

function send(message: ToParent): void {
  process.send?.(message);
}

/** The next batch the parent signed, waiting for it when it has not come yet. */
async function nextBatch(): Promise<string[]> {
  while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
  return arrived.shift() as string[];
}

/** Consumes `count` responses batch by batch, asking for the batch after next; returns the sign-ins. */
async function consumeMany(count: number, onProgress: (done: number) => Promise<void>): Promise<number> {
  let signIns = 0;
  let done = 0;
  let asked = 0;
  const ask = () => {
    if (asked >= count) return;
    const n = Math.min(options.batch, count - asked);
    asked += n;
    send({ type: 'want', count: n });
  };
  ask();
  ask();
  while (done < count) {
    const batch = await nextBatch();
    ask();
    for (const samlResponse of batch) {
      if ((await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null })).ok) signIns++;
      done++;
      if (done % options.purgeEvery === 0) await sp.harness.sp.purge();
      if (done % options.sampleEvery === 0) await onProgress(done);
    }
  }
  return signIns;
}

const dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-mem-'));
const database = join(dir, 'bench.sqlite');
const sp = await startInProcessSp({ databasePath: database });
send({ type: 'ready', target: sp.target });
try {
  await consumeMany(options.warmup, async () => {});
  const before = measure();
  const samples: { requests: number; rss: number }[] = [{ requests: 0, rss: before.rss }];
  const signIns = await consumeMany(options.requests, async (done) => {
    samples.push({ requests: done, rss: measure().rss });
  });
  const after = measure();
  // A second, read-only connection: WAL lets it read what the harness's connection committed.
  const reader = new BetterSqlite3(database, { readonly: true });
  const count = (table: string) => (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const result = {
    gcExposed: gc !== undefined,
    before,
    after,
    samples,
    signIns,
    rows: { traces: count('traces'), consumedAssertions: count('consumed_assertions'), sessions: count('sessions') },
    retention: sp.harness.config.traces,
  };
  reader.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await sp.close();
  await rm(dir, { recursive: true, force: true });
  process.disconnect?.();
}
