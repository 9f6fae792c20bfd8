import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import type { Trace } from '../../../src/core/sp/traces.js';
import type { SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const BASE = Date.parse('2025-03-01T00:00:00.000Z');
const MINUTE = 60_000;

function at(minutes: number): string {
  return new Date(BASE + minutes * MINUTE).toISOString();
}

function buildTrace(id: string, minutes: number, overrides: Partial<Trace> = {}): Trace {
  return {
    id,
    createdAt: at(minutes),
    kind: 'response',
    binding: 'HTTP-POST',
    accountCode: 'CUK1A2',
    outcome: 'success',
    raw: 'PHNhbWxwOlJlc3BvbnNlLz4=',
    xml: '<samlp:Response/>',
    relayState: null,
    checks: [{ id: 'audience', title: 'Audience', status: 'pass', message: 'ok', specRef: 'SAML Core 2.5.1.4' }],
    summary: { flow: 'sp-initiated', nameId: 'B.Simon@contoso.com' },
    ...overrides,
  };
}

async function listIds(stores: SqliteStores, query: Parameters<SqliteStores['traces']['list']>[0]): Promise<string[]> {
  return (await stores.traces.list(query)).map((t) => t.id);
}

describe('SqliteTraceStore', () => {
  let stores: SqliteStores;
  beforeEach(() => {
    stores = createMemoryStores();
  });
  afterEach(async () => {
    await stores.close();
  });

  test('add then get round-trips every field', async () => {
    const trace = buildTrace('t1', 0, {
      relayState: '/portal',
      outcome: 'failure',
      checks: [
        {
          id: 'audience',
          title: 'Audience',
          status: 'fail',
          code: 'SP_AUDIENCE_MISMATCH',
          expected: 'a',
          received: 'b',
          message: 'no',
          hint: 'fix',
          specRef: 'SAML Core 2.5.1.4',
        },
      ],
      summary: { firstFailure: 'SP_AUDIENCE_MISMATCH', resolvedBy: 'issuer' },
    });
    await stores.traces.add(trace);
    assert.deepEqual(await stores.traces.get('t1'), trace);
  });

  test('get returns null for an unknown id', async () => {
    assert.equal(await stores.traces.get('missing'), null);
  });

  test('a trace without an account or decodable XML is kept, and outlives its account', async () => {
    await stores.accounts.create({ code: 'CUK1A2', region: 'eu', name: 'Contoso', domains: [], createdAt: at(0) });
    await stores.traces.add(buildTrace('t1', 0));
    await stores.traces.add(
      buildTrace('t2', 1, { accountCode: null, xml: null, binding: 'HTTP-Redirect', kind: 'authn-request', outcome: 'sent' }),
    );
    await stores.accounts.delete('CUK1A2');
    assert.equal((await stores.traces.get('t1'))?.accountCode, 'CUK1A2');
    assert.equal((await stores.traces.get('t2'))?.xml, null);
  });

  test('list is newest first, ties broken by insertion order', async () => {
    await stores.traces.add(buildTrace('old', 0));
    await stores.traces.add(buildTrace('new', 5));
    await stores.traces.add(buildTrace('mid-a', 2));
    await stores.traces.add(buildTrace('mid-b', 2));
    assert.deepEqual(await listIds(stores, {}), ['new', 'mid-b', 'mid-a', 'old']);
  });

  test('list filters by account, outcome and kind, alone and together', async () => {
    await stores.traces.add(buildTrace('a', 0));
    await stores.traces.add(buildTrace('b', 1, { accountCode: 'CUSA99' }));
    await stores.traces.add(buildTrace('c', 2, { outcome: 'failure' }));
    await stores.traces.add(buildTrace('d', 3, { kind: 'authn-request', outcome: 'sent' }));
    assert.deepEqual(await listIds(stores, { accountCode: 'CUSA99' }), ['b']);
    assert.deepEqual(await listIds(stores, { outcome: 'failure' }), ['c']);
    assert.deepEqual(await listIds(stores, { kind: 'authn-request' }), ['d']);
    assert.deepEqual(await listIds(stores, { accountCode: 'CUK1A2', kind: 'response', outcome: 'success' }), ['a']);
    assert.deepEqual(await listIds(stores, { accountCode: 'CUKNONE1' }), []);
  });

  test('list filters by an inclusive since/until window, whatever ISO spelling is used', async () => {
    for (let m = 0; m < 5; m += 1) await stores.traces.add(buildTrace(`m${m}`, m));
    assert.deepEqual(await listIds(stores, { since: at(1), until: at(3) }), ['m3', 'm2', 'm1']);
    assert.deepEqual(await listIds(stores, { since: at(4) }), ['m4']);
    assert.deepEqual(await listIds(stores, { until: '2025-03-01T01:00:00+01:00' }), ['m0']);
  });

  test('list refuses a since or until that is not a date with VALIDATION_FAILED', async () => {
    await assert.rejects(stores.traces.list({ since: 'yesterday' }), (err) => err instanceof AppError && err.code === 'VALIDATION_FAILED');
    await assert.rejects(stores.traces.list({ until: 'soon' }), (err) => err instanceof AppError && err.code === 'VALIDATION_FAILED');
  });

  test('list returns 50 by default, honours a limit and caps it at 500', async () => {
    for (let i = 0; i < 520; i += 1) await stores.traces.add(buildTrace(`t${i}`, i));
    assert.equal((await stores.traces.list({})).length, 50);
    assert.deepEqual(await listIds(stores, { limit: 2 }), ['t519', 't518']);
    assert.equal((await stores.traces.list({ limit: 10_000 })).length, 500);
    assert.equal((await stores.traces.list({ limit: 0 })).length, 1);
  });

  test('add refuses a duplicate id', async () => {
    await stores.traces.add(buildTrace('t1', 0));
    await assert.rejects(stores.traces.add(buildTrace('t1', 1)));
  });

  /** Retention with room to spare in every pool unless a test says otherwise. */
  function keep(options: { perAccount?: number; anonymous?: number; olderThanMinute?: number }) {
    return {
      maxPerAccount: options.perAccount ?? 100,
      maxAnonymous: options.anonymous ?? 100,
      olderThan: new Date(at(options.olderThanMinute ?? -10)),
    };
  }

  test('prune removes traces older than the cutoff, in every pool', async () => {
    for (let m = 0; m < 5; m += 1) await stores.traces.add(buildTrace(`m${m}`, m));
    await stores.traces.add(buildTrace('anon0', 0, { accountCode: null, outcome: 'failure' }));
    assert.equal(await stores.traces.prune(keep({ olderThanMinute: 2 })), 3);
    assert.deepEqual(await listIds(stores, {}), ['m4', 'm3', 'm2']);
  });

  test('prune keeps the newest maxPerAccount of each account', async () => {
    for (let m = 0; m < 5; m += 1) await stores.traces.add(buildTrace(`a${m}`, m));
    for (let m = 0; m < 3; m += 1) await stores.traces.add(buildTrace(`b${m}`, m, { accountCode: 'CUS9Z8' }));
    assert.equal(await stores.traces.prune(keep({ perAccount: 2 })), 4);
    assert.deepEqual(await listIds(stores, {}), ['a4', 'a3', 'b2', 'b1']);
  });

  test('prune applies age and count at once and counts each trace once', async () => {
    for (let m = 0; m < 6; m += 1) await stores.traces.add(buildTrace(`m${m}`, m));
    assert.equal(await stores.traces.prune(keep({ perAccount: 3, olderThanMinute: 4 })), 4);
    assert.deepEqual(await listIds(stores, {}), ['m5', 'm4']);
    assert.equal(await stores.traces.prune(keep({ perAccount: 3, olderThanMinute: 4 })), 0);
  });

  test('anonymous traces have their own pool: a flood of them keeps its cap and evicts no account trace', async () => {
    const successes = 20;
    const cap = 50;
    for (let m = 0; m < successes; m += 1) await stores.traces.add(buildTrace(`ok${m}`, m));
    // Newer than every success, and far more of them than the anonymous cap.
    for (let n = 0; n < cap + 100; n += 1)
      await stores.traces.add(buildTrace(`junk${n}`, successes + n, { accountCode: null, outcome: 'failure' }));
    assert.equal(await stores.traces.prune(keep({ perAccount: successes, anonymous: cap })), 100);
    const account = await stores.traces.list({ accountCode: 'CUK1A2', limit: 500 });
    assert.equal(account.length, successes);
    assert.ok(account.every((t) => t.outcome === 'success'));
    const all = await stores.traces.list({ limit: 500 });
    const anonymous = all.filter((t) => t.accountCode === null);
    assert.equal(anonymous.length, cap);
    assert.equal(anonymous[0]?.id, `junk${cap + 99}`, 'the newest anonymous traces are the ones kept');
  });

  test('unsigned traces that only name an account are anonymous: a flood of them evicts none of its vouched traces', async () => {
    const successes = 10;
    const cap = 20;
    for (let m = 0; m < successes; m += 1) await stores.traces.add(buildTrace(`ok${m}`, m));
    const signedRefusal = [
      { id: 'signature', title: 'Signature', status: 'pass' as const, message: 'ok', specRef: 'SAML Core 5.4' },
      { id: 'audience', title: 'Audience', status: 'fail' as const, message: 'no', specRef: 'SAML Core 2.5.1.4' },
    ];
    await stores.traces.add(buildTrace('signed-refusal', successes, { outcome: 'failure', checks: signedRefusal }));
    const unsigned = [{ id: 'signature', title: 'Signature', status: 'fail' as const, message: 'no', specRef: 'SAML Core 5.4' }];
    for (let n = 0; n < cap + 50; n += 1)
      await stores.traces.add(buildTrace(`forged${n}`, successes + 1 + n, { outcome: 'failure', checks: unsigned }));
    assert.equal(await stores.traces.prune(keep({ perAccount: successes + 1, anonymous: cap })), 50);
    const listed = await stores.traces.list({ accountCode: 'CUK1A2', limit: 500 });
    assert.equal(listed.filter((t) => t.id.startsWith('ok')).length, successes, 'every sign-in trace kept');
    assert.ok(
      listed.some((t) => t.id === 'signed-refusal'),
      "a refusal the account's IdP signed is the account's evidence",
    );
    const forged = listed.filter((t) => t.id.startsWith('forged'));
    assert.equal(forged.length, cap, 'the unsigned ones stay listed under the account, within the anonymous cap');
    assert.equal(forged[0]?.id, `forged${cap + 49}`);
  });

  test('prune with caps of 0 empties every pool', async () => {
    await stores.traces.add(buildTrace('m0', 0));
    await stores.traces.add(buildTrace('anon0', 0, { accountCode: null }));
    assert.equal(await stores.traces.prune(keep({ perAccount: 0, anonymous: 0, olderThanMinute: -1 })), 2);
    assert.deepEqual(await listIds(stores, {}), []);
  });
});
