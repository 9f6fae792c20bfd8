/**
 * A throwaway redis-server for tests: Debian's /usr/bin/redis-server on 127.0.0.1 and a free port,
 * nothing written to disk, stopped by `stop()`. A missing binary fails the test with how to install it.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './ports.js';

export const REDIS_SERVER_BIN = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 3_000;

export interface TestRedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** True when something on the port answers PING with +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
    child.kill('SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
  }
}

async function startOnce(dir: string): Promise<TestRedisServer | { failed: string }> {
  const port = await findFreePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''];
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Should the test process die before stop(), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopChild(child);
    process.off('exit', killOnExit);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await answersPing(port)) return { url: `redis://127.0.0.1:${port}`, port, stop };
    await sleep(50);
  }
  await stop();
  return { failed: `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}` };
}

/**
 * Starts redis-server and resolves once it answers PING. Retries on another port when the one found
 * free was taken in between. Always pair with `stop()` in an `after` hook.
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  if (!existsSync(REDIS_SERVER_BIN)) {
    throw new Error(
      `${REDIS_SERVER_BIN} is missing: these tests need a real Redis. Install Debian's redis-server (apt-get install redis-server), as CI does.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-redis-'));
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOnce(dir);
    if (!('failed' in started)) {
      return {
        ...started,
        stop: async () => {
          await started.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    lastFailure = started.failed;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(lastFailure);
}

export { findFreePort };
