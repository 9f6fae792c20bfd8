/**
 * Section 4: cold start to ready. Spawns `node bin/mock-mimecast.js start` with a fresh temporary
 * database and free ports, polls GET /api/health every 10 ms, and records when it first answers 200
 * and when the guide is printed (walk-through seeded, metadata imported). The child is stopped each time.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ColdStartSection } from '../lib/report-types.js';
import { startServerProcess } from '../lib/server-process.js';
import { computeMedian, roundTo } from '../lib/stats.js';

const BIN = fileURLToPath(new URL('../../bin/mock-mimecast.js', import.meta.url));

/** ms for `mock-mimecast --help` to exit: Node and the CLI's own modules; a command's load only when it runs. */
function timeHelp(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`mock-mimecast --help exited ${code}`));
    });
  });
}

/** Starts and stops the CLI `runs` times, one after another, then times `--help` as many times. */
export async function runColdStartBench(options: { runs: number; log(line: string): void }): Promise<ColdStartSection> {
  const health: number[] = [];
  const seeded: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const server = await startServerProcess();
    await server.stop();
    health.push(server.healthMs);
    seeded.push(server.seededMs);
    options.log(
      `cold start: run ${i + 1}/${options.runs} health ${server.healthMs.toFixed(0)} ms, seeded ${server.seededMs.toFixed(0)} ms`,
    );
  }
  const help: number[] = [];
  for (let i = 0; i < options.runs; i++) help.push(await timeHelp());
  options.log(`cold start: --help (module loading only) ${help.map((v) => v.toFixed(0)).join(', ')} ms`);
  return {
    runs: options.runs,
    moduleLoadMs: { median: roundTo(computeMedian(help), 0), runs: help.map((v) => roundTo(v, 0)) },
    healthMs: { median: roundTo(computeMedian(health), 0), runs: health.map((v) => roundTo(v, 0)) },
    seededMs: { median: roundTo(computeMedian(seeded), 0), runs: seeded.map((v) => roundTo(v, 0)) },
  };
}
