/**
 * Section 3: resident memory before and after many ACS calls, measured in a child process started
 * with --expose-gc so every reading follows a full collection and nothing from the other sections
 * is counted. The SQLite file is on disk, as with `npm start`; traces are pruned to their retention.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemorySection } from '../lib/report-types.js';
import { createResponseFactory } from '../lib/responses.js';
import { computeSlope, roundTo, toMegabytes } from '../lib/stats.js';
import type { ToChild, ToParent } from './memory-child.js';

const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface MemoryOptions {
  requests: number;
  warmup: number;
  batch: number;
  purgeEvery: number;
  sampleEvery: number;
  /** The child is killed after this long. */
  timeoutSeconds: number;
  log(line: string): void;
}

interface ChildResult {
  gcExposed: boolean;
  before: { rss: number; heapUsed: number };
  after: { rss: number; heapUsed: number };
  samples: { requests: number; rss: number }[];
  signIns: number;
  rows: { traces: number; consumedAssertions: number; sessions: number };
  retention: { maxCount: number; maxAgeDays: number };
}

function runChild(options: MemoryOptions): Promise<ChildResult> {
  const payload = JSON.stringify({
    requests: options.requests,
    warmup: options.warmup,
    batch: options.batch,
    purgeEvery: options.purgeEvery,
    sampleEvery: options.sampleEvery,
  });
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, payload], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Signing costs as much as validating, so this process signs the batches the child asks for while the
  // child validates the previous one: the run takes half the time and the child's memory holds only
  // what the ACS keeps.
  let generate: ((count: number) => string[]) | null = null;
  child.on('message', (message: ToParent) => {
    if (message.type === 'ready') generate = createResponseFactory(message.target);
    else if (message.type === 'want' && generate && child.connected)
      child.send({ type: 'batch', responses: generate(message.count) } satisfies ToChild);
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 8_000) stderr += c.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ChildResult);
      else
        reject(
          new Error(
            `memory child ${signal ? `killed (${signal}) after ${options.timeoutSeconds} s` : `exited ${code}`}: ${stderr.slice(0, 800)}`,
          ),
        );
    });
  });
}

/** Runs the section and returns its numbers. */
export async function runMemoryBench(options: MemoryOptions): Promise<MemorySection> {
  options.log(`memory: ${options.warmup} warm-up + ${options.requests} ACS calls in a child process (--expose-gc)`);
  const r = await runChild(options);
  const points = r.samples.map((s) => ({ x: s.requests / 1000, y: s.rss / (1024 * 1024) }));
  return {
    requests: options.requests,
    warmupRequests: options.warmup,
    rssBeforeMb: toMegabytes(r.before.rss),
    rssAfterMb: toMegabytes(r.after.rss),
    growthMb: toMegabytes(r.after.rss - r.before.rss),
    heapUsedBeforeMb: toMegabytes(r.before.heapUsed),
    heapUsedAfterMb: toMegabytes(r.after.heapUsed),
    rssSlopeMbPer1k: roundTo(computeSlope(points), 3),
    gcExposed: r.gcExposed,
    signIns: r.signIns,
    database: 'SQLite file in a temporary folder (WAL), as npm start uses',
    rowsKept: r.rows,
    traceRetention: { ...r.retention, purgeEveryRequests: options.purgeEvery },
    samples: r.samples.map((s) => ({ requests: s.requests, rssMb: toMegabytes(s.rss) })),
  };
}
