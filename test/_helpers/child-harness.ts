/**
 * `mock-mimecast start` as a child process, the way a person or an orchestrator runs it: for tests of
 * signals, crashes and restarts. Every child is bounded in time and must be stopped by the test.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort, findFreePorts } from './ports.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mock-mimecast.js', import.meta.url));

export interface ChildHarness {
  child: ChildProcess;
  spUrl: string;
  idpUrl: string;
  /** Everything the child wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves when the child has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export { findFreePort, findFreePorts };

/** Two distinct free loopback ports for a child's SP and mock Entra. */
export async function findPortPair(): Promise<{ spPort: number; idpPort: number }> {
  const [spPort = 0, idpPort = 0] = await findFreePorts(2);
  return { spPort, idpPort };
}

/** The test runner's environment without the settings a developer may have exported. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('MOCK_MIMECAST_') && key !== 'REDIS_URL' && key !== 'PORT') env[key] = value;
  }
  return env;
}

/** Starts `mock-mimecast start` on the given ports and database; does not wait for it to be ready. */
export function spawnHarness(options: { spPort: number; idpPort: number; db: string; args?: string[] }): ChildHarness {
  // 127.0.0.1 rather than localhost: the apps bind IPv4 loopback, and localhost may resolve to ::1 first.
  const spUrl = `http://127.0.0.1:${options.spPort}`;
  const idpUrl = `http://127.0.0.1:${options.idpPort}`;
  const args = [
    BIN,
    'start',
    ...['--sp-port', String(options.spPort), '--public-url', spUrl, '--idp-port', String(options.idpPort), '--idp-public-url', idpUrl],
    ...['--db', options.db, '--log-level', 'warn', ...(options.args ?? [])],
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, spUrl, idpUrl, output: () => output, exited };
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes (then throws). */
export async function waitForOk(harness: ChildHarness, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void harness.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 (${exited ? 'the child exited' : 'timeout'}); output:\n${harness.output()}`);
}

/** Ends the child with `signal` and waits for it to exit, up to `timeoutMs`, then kills it. */
export async function stopHarness(
  harness: ChildHarness,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 10_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (harness.child.exitCode !== null || harness.child.signalCode !== null) return harness.exited;
  harness.child.kill(signal);
  const timer = setTimeout(() => harness.child.kill('SIGKILL'), timeoutMs);
  try {
    return await harness.exited;
  } finally {
    clearTimeout(timer);
  }
}
