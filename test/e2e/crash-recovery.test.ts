import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import { type ChildHarness, findFreePorts, findPortPair, spawnHarness, stopHarness, waitForOk } from '../_helpers/child-harness.js';

const BURST = 40;
const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * SIGKILL in the middle of a burst of sign-ins, then a restart on the same SQLite file: WAL keeps every
 * committed write, and nothing half-written stops the harness from starting and signing people in.
 */
describe('crash recovery: SIGKILL mid-burst, restart on the same database', { timeout: 40_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-crash-'));
  const db = join(dir, 'mock-mimecast.sqlite');
  const running: ChildHarness[] = [];

  after(async () => {
    for (const harness of running) await stopHarness(harness, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('the restarted harness is ready, keeps account, profile, directory and traces, and signs in', async () => {
    const [spPort, idpPort] = await findFreePorts(2);
    const first = spawnHarness({ spPort, idpPort, db });
    running.push(first);
    await waitForOk(first, `${first.spUrl}/api/ready`);

    let signedIn = 0;
    // allSettled at once: sign-ins cut by the kill reject, and must not count as unhandled meanwhile.
    const burst = Promise.allSettled(
      Array.from({ length: BURST }, () =>
        signInSpInitiated(first, creds).then((result) => {
          if (result.ok) signedIn += 1;
          return result;
        }),
      ),
    );
    // Kill once a few sign-ins succeeded and the others are still in flight (checked every 2 ms, so the
    // rest cannot all finish unseen); never wait past 20 s (a busy shared machine can be that slow).
    const deadline = Date.now() + 20_000;
    while (signedIn < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL');
    const outcomes = await burst;
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok).length;
    assert.ok(succeeded >= 1, 'some sign-ins finished before the kill');
    assert.ok(succeeded < BURST, `the kill came mid-burst (${succeeded}/${BURST} finished)`);

    const second = spawnHarness({ spPort, idpPort, db });
    running.push(second);
    await waitForOk(second, `${second.spUrl}/api/ready`);
    assert.equal((await getJson<{ status: string }>(`${second.spUrl}/api/ready`)).body.status, 'ready');

    const account = await getJson<{ code: string; region: string; domains: string[] }>(`${second.spUrl}/api/accounts/${SEED.accountCode}`);
    assert.equal(account.status, 200);
    assert.equal(account.body.region, 'eu');
    assert.deepEqual(account.body.domains, [SEED.domain]);
    const profile = await getJson<{ issuerUrl: string | null; certificates: unknown[] }>(
      `${second.spUrl}/api/accounts/${SEED.accountCode}/profile`,
    );
    assert.equal(profile.status, 200);
    assert.ok(profile.body.certificates.length >= 1, 'the imported IdP certificates are still trusted');
    assert.match(profile.body.issuerUrl ?? '', /^https:\/\/sts\.windows\.net\//);
    const directory = await getJson<{ users: { email: string }[] }>(`${second.spUrl}/api/accounts/${SEED.accountCode}/directory`);
    assert.ok(directory.body.users.some((u) => u.email.toLowerCase() === SEED.userEmail.toLowerCase()));

    const traces = await getJson<{ traces: { outcome: string }[] }>(`${second.spUrl}/api/traces?limit=500`);
    assert.equal(traces.status, 200);
    assert.ok(traces.body.traces.filter((t) => t.outcome === 'success').length >= succeeded, 'every finished sign-in left its trace');

    const again = await signInSpInitiated(second, creds);
    assert.equal(again.ok, true, `ended at ${again.page.url}\n${second.output()}`);
    assert.equal(again.trace?.outcome, 'success');

    const stopped = await stopHarness(second, 'SIGTERM');
    assert.equal(stopped.code, 0, second.output());
    const check = new BetterSqlite3(db, { readonly: true });
    try {
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(check.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      check.close();
    }
  });
});

/**
 * SIGTERM while the first start is still migrating or seeding: the seed runs in transactions, so the
 * file holds all of it or none of it, and the next start (on other ports) completes it and signs in.
 */
describe('crash recovery: SIGTERM during the first start, restart on other ports', { timeout: 40_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-seed-kill-'));
  const db = join(dir, 'mock-mimecast.sqlite');
  const running: ChildHarness[] = [];

  after(async () => {
    for (const harness of running) await stopHarness(harness, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('the next start finds a complete seed or none, seeds what is missing and signs in', async () => {
    const first = spawnHarness({ ...(await findPortPair()), db });
    running.push(first);
    const deadline = Date.now() + 10_000;
    while (!existsSync(db) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    first.child.kill('SIGTERM');
    await first.exited;

    const second = spawnHarness({ ...(await findPortPair()), db });
    running.push(second);
    await waitForOk(second, `${second.spUrl}/api/ready`);
    const directory = await getJson<{ users: { email: string }[] }>(`${second.spUrl}/api/accounts/${SEED.accountCode}/directory`);
    assert.equal(directory.status, 200);
    assert.deepEqual(
      directory.body.users.map((u) => u.email.toLowerCase()).sort(),
      [SEED.adminEmail, SEED.userEmail].map((e) => e.toLowerCase()).sort(),
    );
    const profile = await getJson<{ certificates: unknown[] }>(`${second.spUrl}/api/accounts/${SEED.accountCode}/profile`);
    assert.ok(profile.body.certificates.length >= 1, 'the metadata import ran');
    const result = await signInSpInitiated(second, creds);
    assert.equal(result.ok, true, `ended at ${result.page.url}\n${second.output()}`);
    assert.equal((await stopHarness(second, 'SIGTERM')).code, 0, second.output());
  });
});
