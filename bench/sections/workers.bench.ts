/**
 * Section: `start --workers N` (node:cluster) at 1, 2 and 4 workers in one run, each a fresh server on
 * its own temporary SQLite file, the same saturated load as the http section (distinct responses,
 * 32 connections). The load generator runs on the same machine, so on few cores it takes a share of
 * the CPU the workers would use; the section prints the core count, and a count above it is reported
 * as not meaningful.
 */
import { availableParallelism } from 'node:os';
import type { WorkersSection } from '../lib/report-types.js';
import { BENCH_AUDIENCE, BENCH_EMAIL, createResponseFactory } from '../lib/responses.js';
import { startServerProcess } from '../lib/server-process.js';
import { roundTo } from '../lib/stats.js';
import { fireBodies } from './http.bench.js';

export interface WorkersOptions {
  counts: number[];
  connections: number;
  requests: number;
  warmupRequests: number;
  maxSeconds: number;
  log(line: string): void;
}

/** Saturated sign-ins per second for each worker count. */
export async function runWorkersBench(options: WorkersOptions): Promise<WorkersSection> {
  const cores = availableParallelism();
  const rows: WorkersSection['rows'] = [];
  for (const workers of options.counts) {
    const server = await startServerProcess({
      args: ['--workers', String(workers)],
      env: { MOCK_MIMECAST_RATE_LIMIT_ACS: '0', MOCK_MIMECAST_RATE_LIMIT_SIGN_IN: '0', MOCK_MIMECAST_LOG_LEVEL: 'warn' },
      timeoutMs: 30_000,
    });
    try {
      // Health answers once the first worker listens; give the others time to join.
      await new Promise((r) => setTimeout(r, 500 * workers));
      const generate = createResponseFactory({
        acsUrl: server.replyUrl,
        audience: BENCH_AUDIENCE,
        tenantId: server.tenantId,
        email: BENCH_EMAIL,
      });
      const warmup = generate(options.warmupRequests);
      const bodies = generate(options.requests);
      await fireBodies(server.spUrl, warmup, Math.min(8, options.connections), options.maxSeconds);
      const started = performance.now();
      const { tally } = await fireBodies(server.spUrl, bodies, options.connections, options.maxSeconds);
      const seconds = (performance.now() - started) / 1000;
      const perSecond = tally.signIns / seconds;
      options.log(`workers: ${workers} → ${perSecond.toFixed(0)} sign-ins/s (${tally.signIns}/${tally.latencies.length})`);
      rows.push({
        workers,
        signInsPerSecond: roundTo(perSecond, 1) ?? 0,
        signIns: tally.signIns,
        answers: tally.latencies.length,
        meaningful: workers <= cores,
      });
    } finally {
      await server.stop();
    }
  }
  const base = rows.find((r) => r.workers === 1)?.signInsPerSecond ?? null;
  for (const row of rows) row.speedup = base ? roundTo(row.signInsPerSecond / base, 2) : null;
  return { cores, connections: options.connections, rows };
}
