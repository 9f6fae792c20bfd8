import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { AppError } from '../../src/core/errors.js';
import { serveFromPeer } from '../_helpers/remote-peer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, type TestSp } from '../_helpers/sp-harness.js';

const BEARER = `Bearer ${TEST_ADMIN_TOKEN}`;

describe('SP admin token, listening beyond loopback (requireAdminToken)', () => {
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

/** What a reverse proxy on the same machine typically forwards, all claiming loopback. */
const PROXY_HEADERS = {
  Host: '127.0.0.1:3000',
  'X-Forwarded-For': '127.0.0.1',
  'X-Forwarded-Host': '127.0.0.1:3000',
  'X-Forwarded-Proto': 'https',
  Forwarded: 'for=127.0.0.1;host=127.0.0.1:3000;proto=https',
};

/** Guarded SP routes: the JSON API, the console and the SSO log. JSON is asked for, so refusals carry a code. */
const GUARDED_PATHS = [
  '/api/accounts',
  '/api/traces',
  '/api/accounts/CUK12A34/metadata-events',
  '/',
  '/accounts/CUK12A34',
  '/accounts/CUK12A34/authentication-profiles',
  '/traces',
];

describe('SP on loopback behind a reverse proxy, with an admin token', () => {
  let sp: TestSp;
  beforeEach(async () => {
    // Bound to 127.0.0.1 (requireAdminToken off), reached at an https public URL through the proxy.
    sp = createTestSp({
      adminToken: TEST_ADMIN_TOKEN,
      secureCookies: true,
      settings: { publicBaseUrl: 'https://mimecast-harness.example' },
    });
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE });
  });
  afterEach(() => sp.close());

  it('asks every API, console and SSO log request for the token, whatever the proxy headers say', async () => {
    for (const path of GUARDED_PATHS) {
      const missing = await request(sp.app).get(path).set(PROXY_HEADERS).accept('json');
      assert.equal(missing.status, 401, path);
      assert.equal(missing.body.error, 'ADMIN_TOKEN_REQUIRED', path);
      const wrong = await request(sp.app).get(path).set(PROXY_HEADERS).set('Authorization', 'Bearer not-the-token').accept('json');
      assert.equal(wrong.status, 403, path);
      assert.equal(wrong.body.error, 'ADMIN_TOKEN_INVALID', path);
      const right = await request(sp.app).get(path).set(PROXY_HEADERS).set('Authorization', BEARER).accept('json');
      assert.equal(right.status, 200, path);
    }
  });

  it('refuses a wrong ?token= on the console and takes the right one', async () => {
    const wrong = await request(sp.app).get('/traces?token=not-the-token').set(PROXY_HEADERS).accept('json');
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, 'ADMIN_TOKEN_INVALID');
    const right = await request(sp.app).get(`/traces?token=${TEST_ADMIN_TOKEN}`).set(PROXY_HEADERS);
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, '/traces');
  });

  it('leaves the SAML endpoints, the sign-in pages and health open', async () => {
    assert.equal((await request(sp.app).get('/api/health').set(PROXY_HEADERS)).status, 200);
    assert.equal((await request(sp.app).get('/login/saml').set(PROXY_HEADERS)).status, 200);
    assert.equal((await request(sp.app).get('/sso/CUK12A34/metadata').set(PROXY_HEADERS)).status, 200);
    const acs = await request(sp.app).post('/login/saml').set(PROXY_HEADERS).type('form').send({ SAMLResponse: '%%%' });
    assert.equal(acs.status, 400);
    assert.equal((await sp.stores.traces.list({ limit: 10 })).length, 1);
  });
});

describe('SP without an admin token', () => {
  it('refuses the API, the console and the SSO log to a peer beyond loopback, whatever the headers claim', async () => {
    const sp = createTestSp();
    try {
      await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE });
      const remote = serveFromPeer(sp.app, '203.0.113.7');
      for (const path of GUARDED_PATHS) {
        const res = await request(remote).get(path).set(PROXY_HEADERS).accept('json');
        assert.equal(res.status, 403, path);
        assert.equal(res.body.error, 'ADMIN_LOOPBACK_ONLY', path);
      }
      // A token sent to a server that has none does not open anything either.
      const withBearer = await request(remote).get('/api/accounts').set('Authorization', BEARER);
      assert.equal(withBearer.body.error, 'ADMIN_LOOPBACK_ONLY');
      assert.equal((await request(remote).get('/api/health')).status, 200);
      assert.equal((await request(remote).get('/login/saml')).status, 200);
      // The IPv4-mapped form of a loopback peer is loopback.
      assert.equal((await request(serveFromPeer(sp.app, '::ffff:127.0.0.1')).get('/api/accounts')).status, 200);
    } finally {
      await sp.close();
    }
  });

  it('opens the API and the console to a loopback peer without a token', async () => {
    const sp = createTestSp();
    try {
      assert.equal((await request(sp.app).get('/api/accounts')).status, 200);
      assert.equal((await request(sp.app).get('/')).status, 200);
    } finally {
      await sp.close();
    }
  });
});
