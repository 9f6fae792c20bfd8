import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createFrozenClock } from '../../src/core/clock.js';
import type { Trace } from '../../src/core/sp/traces.js';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { createTestSp, TEST_ADMIN_TOKEN } from '../_helpers/sp-harness.js';

/** A passed sign-in's trace: it counts against its account's own pool (see tracePool). */
function buildTrace(id: string, createdAt: Date): Trace {
  return {
    id,
    createdAt: createdAt.toISOString(),
    kind: 'response',
    binding: 'HTTP-POST',
    accountCode: 'CUK12A34',
    outcome: 'success',
    raw: 'PHNhbWxwOlJlc3BvbnNlLz4=',
    xml: '<samlp:Response/>',
    relayState: null,
    checks: [],
    summary: {},
  };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as T };
}

describe('operations', { timeout: 30_000 }, () => {
  test('/api/ready is 200 while the database answers and 503 NOT_READY once it does not; /api/health stays 200', async () => {
    const h = await startTestHarness();
    try {
      const ready = await getJson<{ status: string }>(`${h.spUrl}/api/ready`);
      assert.deepEqual(ready, { status: 200, body: { status: 'ready' } });
      await h.sp.stores.close();
      const down = await getJson<{ error: string; hint: string }>(`${h.spUrl}/api/ready`);
      assert.equal(down.status, 503);
      assert.equal(down.body.error, 'NOT_READY');
      assert.ok(down.body.hint.length > 0);
      assert.equal((await getJson<{ status: string }>(`${h.spUrl}/api/health`)).status, 200);
    } finally {
      await h.close();
    }
  });

  test('beyond loopback the probes need no admin token, while the metadata events do', async () => {
    const sp = createTestSp({ requireAdminToken: true });
    try {
      await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'] });
      const ready = await request(sp.app).get('/api/ready');
      assert.equal(ready.status, 200);
      assert.equal((await request(sp.app).get('/api/health')).status, 200);
      const anonymous = await request(sp.app).get('/api/accounts/CUK12A34/metadata-events');
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error, 'ADMIN_TOKEN_REQUIRED');
      const allowed = await request(sp.app)
        .get('/api/accounts/CUK12A34/metadata-events')
        .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
      assert.equal(allowed.status, 200);
      assert.deepEqual(allowed.body.events, []);
    } finally {
      await sp.close();
    }
  });

  test("trace retention keeps an account's newest maxCount traces and none older than maxAgeDays", async () => {
    const clock = createFrozenClock(new Date());
    const h = await startTestHarness({ traces: { maxCount: 3, maxAgeDays: 2 } }, { clock });
    try {
      const start = clock.now().getTime();
      for (let i = 0; i < 5; i++)
        await h.sp.stores.traces.add(buildTrace(`00000000-0000-4000-8000-00000000000${i}`, new Date(start + i * 60_000)));
      await h.sp.purge();
      const kept = await getJson<{ traces: { id: string }[] }>(`${h.spUrl}/api/traces?limit=500`);
      assert.deepEqual(
        kept.body.traces.map((t) => t.id.slice(-1)),
        ['4', '3', '2'],
      );
      clock.advance(3 * 86_400_000);
      await h.sp.stores.traces.add(buildTrace('00000000-0000-4000-8000-000000000009', clock.now()));
      await h.sp.purge();
      const aged = await getJson<{ traces: { id: string }[] }>(`${h.spUrl}/api/traces?limit=500`);
      assert.deepEqual(
        aged.body.traces.map((t) => t.id.slice(-1)),
        ['9'],
      );
    } finally {
      await h.close();
    }
  });

  test("junk posted to the ACS has its own capped pool and pushes no account's trace out", async () => {
    const clock = createFrozenClock(new Date());
    const cap = 20;
    const h = await startTestHarness({ traces: { maxCount: 10, maxAnonymousCount: cap, maxAgeDays: 30 } }, { clock });
    try {
      const start = clock.now().getTime() - 3_600_000;
      const successes = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
      for (const [i, id] of successes.entries()) await h.sp.stores.traces.add(buildTrace(id, new Date(start + i * 60_000)));
      for (let n = 0; n < cap + 100; n += 1) {
        const junk = await fetch(`${h.spUrl}/login/saml`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `SAMLResponse=junk-${n}`,
        });
        assert.equal(junk.status, 400);
      }
      await h.sp.purge();
      const account = await getJson<{ traces: { id: string; outcome: string }[] }>(`${h.spUrl}/api/traces?accountCode=CUK12A34&limit=500`);
      assert.deepEqual(account.body.traces.map((t) => t.id).sort(), successes);
      const all = await getJson<{ traces: { accountCode: string | null }[] }>(`${h.spUrl}/api/traces?limit=500`);
      const anonymous = all.body.traces.filter((t) => t.accountCode === null);
      assert.ok(anonymous.length > 0 && anonymous.length <= cap, `${anonymous.length} anonymous traces kept`);
    } finally {
      await h.close();
    }
  });

  test('the database file runs in WAL mode: a reader is not blocked by an open write transaction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-wal-'));
    const path = join(dir, 'wal.sqlite');
    const writer = openDatabase(path);
    const reader = openDatabase(path);
    try {
      assert.equal(writer.pragma('journal_mode', { simple: true }), 'wal');
      writer
        .prepare("INSERT INTO accounts (code, region, name, created_at) VALUES ('CUK1A2', 'eu', 'Before', '2025-01-01T00:00:00Z')")
        .run();
      writer.exec('BEGIN IMMEDIATE');
      writer.prepare("UPDATE accounts SET name = 'During' WHERE code = 'CUK1A2'").run();
      const seen = reader.prepare("SELECT name FROM accounts WHERE code = 'CUK1A2'").get() as { name: string };
      assert.equal(seen.name, 'Before', 'the reader sees the last commit, without waiting');
      writer.exec('COMMIT');
      assert.equal((reader.prepare("SELECT name FROM accounts WHERE code = 'CUK1A2'").get() as { name: string }).name, 'During');
    } finally {
      writer.close();
      reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
