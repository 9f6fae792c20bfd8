import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import type { Trace } from '../../src/core/sp/traces.js';
import { buildStoredTrace, createTestSp, type TestSp } from '../_helpers/sp-harness.js';

describe('SP API: traces, session and health', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-1', createdAt: '2027-03-01T08:00:00.000Z', outcome: 'success', checks: [] }));
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-2', createdAt: '2027-03-01T09:00:00.000Z' }));
    await sp.stores.traces.add(
      buildStoredTrace({
        id: 'trace-3',
        createdAt: '2027-03-01T09:30:00.000Z',
        accountCode: 'CDE12345',
        kind: 'authn-request',
        outcome: 'sent',
      }),
    );
  });
  afterEach(() => sp.close());

  it('reports health', async () => {
    const res = await request(sp.app).get('/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('lists traces newest first, without raw or xml', async () => {
    const res = await request(sp.app).get('/api/traces');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.traces.map((t: Trace) => t.id),
      ['trace-3', 'trace-2', 'trace-1'],
    );
    for (const t of res.body.traces) {
      assert.equal('raw' in t, false);
      assert.equal('xml' in t, false);
    }
  });

  it('filters by account, outcome, kind, time and limit', async () => {
    const byAccount = await request(sp.app).get('/api/traces').query({ accountCode: 'CDE12345' });
    assert.deepEqual(
      byAccount.body.traces.map((t: Trace) => t.id),
      ['trace-3'],
    );
    const byOutcome = await request(sp.app).get('/api/traces').query({ outcome: 'failure' });
    assert.deepEqual(
      byOutcome.body.traces.map((t: Trace) => t.id),
      ['trace-2'],
    );
    const byKind = await request(sp.app).get('/api/traces').query({ kind: 'response', since: '2027-03-01T08:30:00Z' });
    assert.deepEqual(
      byKind.body.traces.map((t: Trace) => t.id),
      ['trace-2'],
    );
    const limited = await request(sp.app).get('/api/traces').query({ limit: '1' });
    assert.equal(limited.body.traces.length, 1);
  });

  it('takes an empty parameter as not given', async () => {
    const res = await request(sp.app).get('/api/traces?accountCode=&outcome=&kind=&since=&until=&limit=');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.traces.map((t: Trace) => t.id),
      ['trace-3', 'trace-2', 'trace-1'],
    );
    const mixed = await request(sp.app).get('/api/traces?accountCode=&outcome=failure');
    assert.deepEqual(
      mixed.body.traces.map((t: Trace) => t.id),
      ['trace-2'],
    );
  });

  it('refuses bad filters', async () => {
    for (const query of [
      { outcome: 'maybe' },
      { kind: 'x' },
      { since: 'yesterday' },
      { limit: '501' },
      { limit: '0' },
      { limit: 'ten' },
      { accountCode: 'cuk12a34' },
      { colour: 'red' },
    ]) {
      const res = await request(sp.app).get('/api/traces').query(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
    }
    const repeated = await request(sp.app).get('/api/traces?outcome=success&outcome=failure');
    assert.equal(repeated.status, 400);
    assert.equal(repeated.body.error, 'VALIDATION_FAILED');
  });

  it('returns one full trace, and TRACE_NOT_FOUND for an unknown id', async () => {
    const res = await request(sp.app).get('/api/traces/trace-2');
    assert.equal(res.status, 200);
    assert.equal(res.body.xml.startsWith('<samlp:Response'), true);
    assert.equal(res.body.checks[0].code, 'SP_AUDIENCE_MISMATCH');
    const missing = await request(sp.app).get('/api/traces/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'TRACE_NOT_FOUND');
  });

  it('answers UNAUTHENTICATED for the session when nobody is signed in', async () => {
    const res = await request(sp.app).get('/api/session');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'UNAUTHENTICATED');
  });
});
