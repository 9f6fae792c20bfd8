/**
 * Runs `node bin/mock-mimecast.js start` as a child process on free loopback ports with a temporary
 * SQLite file, the way a person starts the harness. Used for the cold-start timing and as the HTTP
 * target, so the load generator and the server do not share an event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_WORKERS_READY_LINE } from '../../src/runtime/workers.js';
import { findFreePorts } from '../../test/_helpers/ports.js';

const BIN = fileURLToPath(new URL('../../bin/mock-mimecast.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  spUrl: string;
  idpUrl: string;
  /** ms from spawn to GET /api/health answering 200. */
  healthMs: number;
  /** ms from spawn to the printed guide (seeded, metadata imported). */
  seededMs: number;
  /** ms from spawn to the primary's "all workers ready" line; null without --workers. */
  allWorkersMs: number | null;
  /** The mock Entra tenant id read from the printed App Federation Metadata Url. */
  tenantId: string;
  /** The Reply URL as printed: the public base URL (localhost:<port>) plus /login/saml. */
  replyUrl: string;
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Polls `url` every `everyMs` until it answers 200 or `timeoutMs` passes; returns whether it did. */
async function pollUntilOk(url: string, everyMs: number, timeoutMs: number, failed: () => string | null): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (failed()) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(500) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/**
 * Spawns the CLI, times health and the printed guide, and returns a handle whose stop() sends
 * SIGTERM (SIGKILL after 3 s) and removes the temporary folder. Throws after `timeoutMs`.
 */
export async function startServerProcess(
  options: { env?: Record<string, string>; timeoutMs?: number; args?: string[] } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-bench-'));
  const [spPort, idpPort] = await findFreePorts(2);
  const args = [
    BIN,
    'start',
    '--sp-port',
    String(spPort),
    '--idp-port',
    String(idpPort),
    '--db',
    join(dir, 'bench.sqlite'),
    ...(options.args ?? []),
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  let seededMs = Number.NaN;
  const workersAt = options.args?.indexOf('--workers') ?? -1;
  const waitsForWorkers = workersAt >= 0 && options.args?.[workersAt + 1] !== '1';
  let allWorkersMs = Number.NaN;
  let exited: string | null = null;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (Number.isNaN(seededMs) || (waitsForWorkers && Number.isNaN(allWorkersMs))) {
      stdout += chunk.toString('utf8');
      if (Number.isNaN(seededMs) && /App Federation Metadata Url[^\n]*\n/.test(stdout)) seededMs = performance.now() - started;
      if (Number.isNaN(allWorkersMs) && stdout.includes(ALL_WORKERS_READY_LINE)) allWorkersMs = performance.now() - started;
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8_000) stderr += chunk.toString('utf8');
  });
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const stop = async () => {
    if (!(await waitForExit(child, 0))) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 3_000))) child.kill('SIGKILL');
      await waitForExit(child, 3_000);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const spUrl = `http://127.0.0.1:${spPort}`;
    if (!(await pollUntilOk(`${spUrl}/api/health`, 10, timeoutMs, () => exited)))
      throw new Error(`no health within ${timeoutMs} ms (${exited ?? 'still running'}): ${stderr.slice(0, 500)}`);
    const healthMs = performance.now() - started;
    const deadline = performance.now() + timeoutMs;
    // With --workers the primary hands every connection to the first worker until the others are up.
    while ((Number.isNaN(seededMs) || (waitsForWorkers && Number.isNaN(allWorkersMs))) && !exited && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    if (waitsForWorkers && Number.isNaN(allWorkersMs))
      throw new Error(`not every worker was ready within ${timeoutMs} ms (${exited ?? 'running'}): ${stderr.slice(0, 500)}`);
    const tenantId = /\/([0-9a-f-]{36})\/federationmetadata\//.exec(stdout)?.[1];
    const replyUrl = /Reply URL (\S+?),/.exec(stdout)?.[1];
    if (!tenantId || !replyUrl)
      throw new Error(`the guide with the App Federation Metadata Url was not printed (${exited ?? 'running'}): ${stderr.slice(0, 500)}`);
    return {
      child,
      spUrl,
      idpUrl: `http://127.0.0.1:${idpPort}`,
      healthMs,
      seededMs,
      allWorkersMs: waitsForWorkers ? allWorkersMs : null,
      tenantId,
      replyUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
