import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { AppError } from '../../src/core/errors.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, type TestSp } from '../_helpers/sp-harness.js';

const BEARER = `Bearer ${TEST_ADMIN_TOKEN}`;

describe('SP admin token (requireAdminToken)', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({ requireAdminToken: true });
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE });
  });
  afterEach(() => sp.close());

  it('asks the API for the token, refuses a wrong one and accepts the right one', async () => {
    const missing = await request(sp.app).get('/api/accounts');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error, 'ADMIN_TOKEN_REQUIRED');

    const wrong = await request(sp.app).get('/api/accounts').set('Authorization', 'Bearer not-the-token');
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, 'ADMIN_TOKEN_INVALID');

    const notBearer = await request(sp.app).get('/api/accounts').set('Authorization', `Basic ${TEST_ADMIN_TOKEN}`);
    assert.equal(notBearer.status, 401);
    assert.equal(notBearer.body.error, 'ADMIN_TOKEN_REQUIRED');

    const right = await request(sp.app).get('/api/accounts').set('Authorization', BEARER);
    assert.equal(right.status, 200);
  });

  it('checks the token before reading a body', async () => {
    const res = await request(sp.app).post('/api/accounts').set('Content-Type', 'application/json').send('{not json');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'ADMIN_TOKEN_REQUIRED');
  });

  it('leaves health, the session probe, sign-in and metadata open', async () => {
    assert.equal((await request(sp.app).get('/api/health')).status, 200);
    const session = await request(sp.app).get('/api/session');
    assert.equal(session.status, 401);
    assert.equal(session.body.error, 'UNAUTHENTICATED');
    assert.equal((await request(sp.app).get('/login/saml')).status, 200);
    assert.equal((await request(sp.app).get('/sso/CUK12A34/metadata')).status, 200);
    assert.equal((await request(sp.app).get('/portal')).status, 303);
  });

  it('guards the console pages and shows a labelled token form', async () => {
    for (const path of ['/', '/traces', '/traces/anything', '/accounts/CUK12A34']) {
      const res = await request(sp.app).get(path);
      assert.equal(res.status, 401, path);
      assert.match(res.text, /ADMIN_TOKEN_REQUIRED/);
      assert.match(res.text, /<label for="token">/);
    }
    const wrong = await request(sp.app).get('/traces?token=wrong');
    assert.equal(wrong.status, 403);
    assert.match(wrong.text, /ADMIN_TOKEN_INVALID/);
    const bearer = await request(sp.app).get('/traces').set('Authorization', BEARER);
    assert.equal(bearer.status, 200);
  });

  it('accepts ?token= once, drops it from the address and remembers the browser', async () => {
    const agent = request.agent(sp.app);
    const first = await agent.get(`/traces?outcome=failure&token=${TEST_ADMIN_TOKEN}`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, '/traces?outcome=failure');
    assert.match(String(first.headers['set-cookie']), /mm\.sid=/);
    assert.equal((await agent.get('/traces?outcome=failure')).status, 200);
    assert.equal((await agent.get('/')).status, 200);
    // The console cookie does not open the API: scripts must send the bearer token.
    assert.equal((await agent.get('/api/accounts')).status, 401);
  });

  it('refuses to build an app that requires a token it does not have', () => {
    assert.throws(
      () => createTestSp({ requireAdminToken: true, adminToken: null }),
      (err: unknown) => err instanceof AppError && err.code === 'CONFIG_INVALID',
    );
  });
});

describe('SP without requireAdminToken', () => {
  it('opens the API and the console without a token', async () => {
    const sp = createTestSp();
    try {
      assert.equal((await request(sp.app).get('/api/accounts')).status, 200);
      assert.equal((await request(sp.app).get('/')).status, 200);
    } finally {
      await sp.close();
    }
  });
});
