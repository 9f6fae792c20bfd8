import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SEED } from '../../src/runtime/seed.js';
import { listen } from '../../src/server.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { findPortPair, spawnHarness, stopHarness, waitForOk } from '../_helpers/child-harness.js';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A GET that resolves with the status, or rejects with the socket error (refused, reset). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A metadata host that answers after `delayMs`: it keeps an import (and so a request to the SP) in
 * flight for as long as a test needs. `reached` resolves when the SP's fetch arrived.
 */
async function startSlowMetadataHost(body: string, delayMs: number): Promise<{ url: string; reached: Promise<void>; server: Server }> {
  let markReached: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    markReached = resolve;
  });
  const server = createServer((_req, res) => {
    markReached();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/federationmetadata.xml`, reached, server };
}

function postImport(spUrl: string, url: string): Promise<Response> {
  return fetch(`${spUrl}/api/accounts/${SEED.accountCode}/profile/import-metadata`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ url }),
    signal: AbortSignal.timeout(10_000),
  });
}

describe('graceful shutdown: stop accepting, drain within a bound, then close the database', { timeout: 40_000 }, () => {
  test('close() refuses new connections at once and lets a request in flight finish', async () => {
    let started: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      started = resolve;
    });
    const events: string[] = [];
    const port = await listen(
      (_req, res) => {
        started();
        setTimeout(() => {
          events.push('responded');
          res.end('done');
        }, 300);
      },
      '127.0.0.1',
      0,
    );
    const inFlight = get(`${port.url}/slow`);
    await inHandler;
    const closed = port.close().then(() => events.push('closed'));
    await assert.rejects(get(`${port.url}/late`), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
    assert.deepEqual(await inFlight, { status: 200, body: 'done' });
    await closed;
    assert.deepEqual(events, ['responded', 'closed']);
  });

  test("harness.close() closes the SP's own node-saml gate, once", async () => {
    const h = await startTestHarness();
    const gate = h.sp.ctx.nodeSamlGate;
    const closeGate = gate.close.bind(gate);
    let closed = 0;
    gate.close = () => {
      closed += 1;
      closeGate();
    };
    await h.close();
    await h.close();
    assert.equal(closed, 1);
  });

  test('a request that never ends is cut once the grace period is over', async () => {
    const port = await listen(() => undefined, '127.0.0.1', 0);
    const hanging = get(`${port.url}/hang`);
    await delay(50);
    const began = Date.now();
    await port.close({ graceMs: 200 });
    assert.ok(Date.now() - began < 5_000, 'close() kept its bound');
    await assert.rejects(hanging, (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET');
  });

  test('harness.close() drains an import in flight before it closes the database', async () => {
    const h = await startTestHarness();
    let slow: Awaited<ReturnType<typeof startSlowMetadataHost>> | null = null;
    try {
      const seeded = h.walkthrough.idp;
      assert.ok(seeded);
      const metadata = await (await fetch(seeded.appFederationMetadataUrl)).text();
      slow = await startSlowMetadataHost(metadata, 400);
      const importing = postImport(h.spUrl, slow.url);
      await slow.reached;
      const closing = h.close({ graceMs: 5_000 });
      const response = await importing;
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(((await response.json()) as { profile: { metadataUrl: string } }).profile.metadataUrl, slow.url);
      await closing;
      await assert.rejects(h.sp.stores.ping());
      await h.close();
    } finally {
      await h.close();
      slow?.server.close();
    }
  });

  test('SIGTERM to `mock-mimecast start` finishes the request in flight and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-sigterm-'));
    const child = spawnHarness({ ...(await findPortPair()), db: join(dir, 'db.sqlite') });
    let slow: Awaited<ReturnType<typeof startSlowMetadataHost>> | null = null;
    try {
      await waitForOk(child, `${child.spUrl}/api/ready`);
      const profile = (await (await fetch(`${child.spUrl}/api/accounts/${SEED.accountCode}/profile`)).json()) as { metadataUrl: string };
      const metadata = await (await fetch(profile.metadataUrl)).text();
      slow = await startSlowMetadataHost(metadata, 500);
      const importing = postImport(child.spUrl, slow.url);
      await slow.reached;
      child.child.kill('SIGTERM');
      const response = await importing;
      assert.equal(response.status, 200, child.output());
      const exit = await child.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, child.output());
    } finally {
      await stopHarness(child, 'SIGKILL');
      slow?.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
