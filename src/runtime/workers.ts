import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';

/** Message a worker sends its primary once its apps answer (seeded, metadata imported). */
export const WORKER_READY = 'mock-mimecast:ready';

/** The line the primary prints on stdout once every worker is ready: scripts and the bench wait for it. */
export const ALL_WORKERS_READY_LINE = 'all workers ready';

/** Environment variable that carries the session secret from the primary to every worker. */
const SESSION_SECRET_ENV = 'MOCK_MIMECAST_SESSION_SECRET';

/**
 * Reads `--workers`: absent or 1 means one process; `auto` means one per core. Anything else that is
 * not a whole number from 1 to 64 is refused, so a typo does not fork hundreds of processes.
 */
export function readWorkerCount(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 1;
  if (raw === 'auto') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new RangeError(`--workers must be a whole number from 1 to 64, or auto; got ${String(raw)}`);
  return n;
}

/** True in a process forked by runWorkers. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** True where the start-up guide is printed: a single process, or the first worker of several. */
export function isGuidePrinter(): boolean {
  return !cluster.isWorker || cluster.worker?.id === 1;
}

/** Tells the primary this worker is ready; a no-op outside a cluster. */
export function signalWorkerReady(): void {
  if (cluster.isWorker) process.send?.(WORKER_READY);
}

/**
 * The primary of `start --workers N` (node:cluster): it forks the first worker alone and waits until it
 * is ready, so exactly one process seeds the walk-through and imports the metadata into the shared
 * database, then forks the others, which find the seed in place. Workers share the SP and IdP ports
 * (the primary hands connections out) and all state that must hold across them lives in the shared
 * stores: SQLite in WAL mode with a busy timeout (or Redis with REDIS_URL) for pending requests, used
 * assertion ids (consumed with one atomic insert, so of two workers exactly one wins) and sessions.
 * Every worker signs cookies with one secret: the configured one, or one the primary makes per start.
 *
 * A worker that dies is not replaced: the primary logs it and stops the others, because a harness
 * that silently runs with fewer workers measures something else. SIGINT/SIGTERM stop every worker.
 */
export async function runWorkers(count: number, logger: Logger): Promise<void> {
  const env = { [SESSION_SECRET_ENV]: process.env[SESSION_SECRET_ENV] || randomBytes(32).toString('hex') };
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    // Workers drain their requests first (harness.close); past 10 s the primary leaves anyway.
    setTimeout(() => process.exit(code), 10_000).unref();
    const check = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(code);
      else setTimeout(check, 20).unref();
    };
    check();
  };
  const forkReady = () =>
    new Promise<void>((resolve, reject) => {
      const worker = cluster.fork(env);
      const onMessage = (message: unknown) => {
        if (message !== WORKER_READY) return;
        worker.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) =>
        reject(new Error(`worker ${worker.id} exited with ${code ?? 'a signal'} before it was ready`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });

  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));
  try {
    await forkReady();
    await Promise.all(Array.from({ length: count - 1 }, forkReady));
  } catch (error) {
    logger.error({ err: error }, 'a worker failed to start');
    stopAll(1);
    return;
  }
  // On stdout whatever the log level: until then the primary hands connections to the first worker
  // alone, so a load test (or a replay race) that starts earlier never reaches the others.
  process.stdout.write(`${ALL_WORKERS_READY_LINE} (${count})\n`);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.id, code, signal }, 'a worker stopped; stopping the others');
    stopAll(1);
  });
}
