/**
 * Section: `start --workers N` (node:cluster) at 1, 2 and 4 workers in one run, each a fresh server on
 * its own temporary SQLite file, the same saturated load as the http section (distinct responses,
 * 32 connections). Timing starts only once the primary has said every worker is ready: until then it
 * hands every connection to the first worker. The load generator runs on the same machine, so on few
 * cores it takes a share of the CPU the workers would use, and on a shared machine the neighbours take
 * more; so each row also gives the server's CPU time per sign-in (all its processes, from /proc),
 * which is what scaling costs whatever CPU the machine had to give.
 */
import { availableParallelism } from 'node:os';
import { listProcessTree, readProcessCpuMs } from '../lib/process-cpu.js';
import type { WorkersSection } from '../lib/report-types.js';
import { BENCH_AUDIENCE, BENCH_EMAIL, createResponseFactory } from '../lib/responses.js';
import { startServerProcess } from '../lib/server-process.js';
import { roundTo } from '../lib/stats.js';
import { fireBodies, measureSeconds } from './http.bench.js';

export interface WorkersOptions {
  counts: number[];
  connections: number;
  requests: number;
  warmupRequests: number;
  maxSeconds: number;
  log(line: string): void;
}

/** Saturated sign-ins per second and server CPU per sign-in for each worker count. */
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
      const generate = createResponseFactory({
        acsUrl: server.replyUrl,
        audience: BENCH_AUDIENCE,
        tenantId: server.tenantId,
        email: BENCH_EMAIL,
      });
      const warmup = generate(options.warmupRequests);
      const bodies = generate(options.requests);
      await fireBodies(server.spUrl, warmup, Math.min(8, options.connections), options.maxSeconds);
      const pids = server.child.pid === undefined ? [] : listProcessTree(server.child.pid);
      const cpuBefore = pids.map(readProcessCpuMs);
      const selfBefore = process.cpuUsage();
      const { tally } = await fireBodies(server.spUrl, bodies, options.connections, options.maxSeconds);
      const seconds = measureSeconds(tally);
      const self = process.cpuUsage(selfBefore);
      const cpuAfter = pids.map(readProcessCpuMs);
      const perProcess =
        pids.length > 0 && cpuBefore.every((v) => v !== null) && cpuAfter.every((v) => v !== null)
          ? cpuAfter.map((v, i) => (v ?? 0) - (cpuBefore[i] ?? 0))
          : null;
      const serverCpu = perProcess?.reduce((a, b) => a + b, 0) ?? null;
      const perSecond = tally.signIns / seconds;
      const cpuPerSignIn = serverCpu !== null && tally.signIns > 0 ? serverCpu / tally.signIns : null;
      options.log(
        `workers: ${workers} → ${perSecond.toFixed(0)} sign-ins/s (${tally.signIns}/${tally.latencies.length}), server CPU ${cpuPerSignIn?.toFixed(2) ?? '?'} ms per sign-in, per process ${perProcess?.map((v) => v.toFixed(0)).join('/') ?? '?'} ms`,
      );
      rows.push({
        workers,
        signInsPerSecond: roundTo(perSecond, 1) ?? 0,
        signIns: tally.signIns,
        answers: tally.latencies.length,
        meaningful: workers <= cores,
        readyMs: roundTo(server.allWorkersMs ?? server.seededMs, 0),
        serverCpuMsPerSignIn: cpuPerSignIn === null ? null : roundTo(cpuPerSignIn, 2),
        processCpuMs: perProcess?.map((v) => roundTo(v, 0) ?? 0) ?? null,
        loadGeneratorCpuMs: roundTo((self.user + self.system) / 1000, 0) ?? 0,
      });
    } finally {
      await server.stop();
    }
  }
  const base = rows.find((r) => r.workers === 1)?.signInsPerSecond ?? null;
  for (const row of rows) row.speedup = base ? roundTo(row.signInsPerSecond / base, 2) : null;
  return { cores, connections: options.connections, rows };
}
