/**
 * Run by memory.bench.ts as `node --expose-gc --import tsx bench/sections/memory-child.ts <json>`:
 * a fresh process, so the resident set measured is the harness's alone. Calls the ACS core in
 * process with responses generated in batches (never all at once), runs the stores' purge as the
 * harness's 60-second timer does, and prints one JSON line with RSS before, during and after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { startInProcessSp } from '../lib/in-process-sp.js';
import { createResponseFactory } from '../lib/responses.js';

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

/** Generates and consumes `count` responses in batches; returns the sign-ins. */
async function consumeMany(count: number, onProgress: (done: number) => Promise<void>): Promise<number> {
  let signIns = 0;
  let done = 0;
  while (done < count) {
    const batch = generate(Math.min(options.batch, count - done));
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
const generate = createResponseFactory(sp.target);
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
}
