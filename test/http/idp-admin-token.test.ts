/**
 * The mock Entra's admin API, admin center and tenant list behind the admin token: required whatever
 * the bind address or the proxy headers, never needed for sign-in, logout, metadata or My Apps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { ConsoleAgent } from '../_helpers/idp-console.js';
import { createTestIdp, encodeTestAuthnRequest, type TestIdp } from '../_helpers/idp-harness.js';
import { serveFromPeer } from '../_helpers/remote-peer.js';

const TOKEN = 'test-only-idp-admin-token';

/** What a reverse proxy on the same machine typically forwards, all claiming loopback. */
const PROXY_HEADERS = {
  Host: '127.0.0.1:3001',
  'X-Forwarded-For': '127.0.0.1',
  'X-Forwarded-Host': '127.0.0.1:3001',
  'X-Forwarded-Proto': 'https',
  Forwarded: 'for=127.0.0.1;host=127.0.0.1:3001;proto=https',
};

function readErrorCode(html: string): string | null {
  return /data-code="([A-Z0-9_]+)"/.exec(html)?.[1] ?? null;
}

describe('mock Entra on loopback behind a reverse proxy, with an admin token', () => {
  let idp: TestIdp;
  let guarded: string[];
  before(async () => {
    idp = await createTestIdp({ adminToken: TOKEN });
    guarded = [
      '/api/tenants',
      `/api/tenants/${idp.tenantId}/apps`,
      `/api/tenants/${idp.tenantId}/sign-in-logs`,
      '/',
      `/admin/${idp.tenantId}/enterprise-apps`,
      `/admin/${idp.tenantId}/users`,
      `/admin/${idp.tenantId}/sign-in-logs`,
    ];
  });
  after(() => idp.close());

  test('the admin API asks for the token, refuses a wrong one and takes the right one', async () => {
    for (const path of guarded.filter((p) => p.startsWith('/api/'))) {
      const missing = await request(idp.app).get(path).set(PROXY_HEADERS);
      assert.equal(missing.status, 401, path);
      assert.equal(missing.body.error, 'ADMIN_TOKEN_REQUIRED', path);
      const wrong = await request(idp.app).get(path).set(PROXY_HEADERS).set('Authorization', 'Bearer not-the-token');
      assert.equal(wrong.status, 403, path);
      assert.equal(wrong.body.error, 'ADMIN_TOKEN_INVALID', path);
      const right = await request(idp.app).get(path).set(PROXY_HEADERS).set('Authorization', `Bearer ${TOKEN}`);
      assert.equal(right.status, 200, path);
    }
  });

  test("/api/health answers without the token, like the SP's probe", async () => {
    const res = await request(idp.app).get('/api/health').set(PROXY_HEADERS);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  test('the admin center and its tenant list ask for the token, with a form to enter it', async () => {
    for (const path of guarded.filter((p) => !p.startsWith('/api/'))) {
      const missing = await request(idp.app).get(path).set(PROXY_HEADERS);
      assert.equal(missing.status, 401, path);
      assert.equal(readErrorCode(missing.text), 'ADMIN_TOKEN_REQUIRED', path);
      assert.match(missing.text, /<label for="token">/, path);
      const wrong = await request(idp.app).get(path).set(PROXY_HEADERS).query({ token: 'not-the-token' });
      assert.equal(wrong.status, 403, path);
      assert.equal(readErrorCode(wrong.text), 'ADMIN_TOKEN_INVALID', path);
      const bearer = await request(idp.app).get(path).set(PROXY_HEADERS).set('Authorization', `Bearer ${TOKEN}`);
      assert.equal(bearer.status, 200, path);
    }
  });

  test('?token= once opens the admin center for that browser, and only the admin center', async () => {
    const c = new ConsoleAgent(idp.app);
    const path = `/admin/${idp.tenantId}/enterprise-apps`;
    const first = await c.agent.get(path).set(PROXY_HEADERS).query({ token: TOKEN });
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, path);
    await c.open(path);
    await c.open('/');
    // Scripts send the bearer token: the console cookie does not open the API.
    assert.equal((await c.agent.get('/api/tenants')).body.error, 'ADMIN_TOKEN_REQUIRED');
  });

  test('sign-in, metadata and My Apps stay open', async () => {
    const start = await request(idp.app)
      .get(`/${idp.tenantId}/saml2`)
      .set(PROXY_HEADERS)
      .query({ SAMLRequest: encodeTestAuthnRequest('_proxy-1') });
    assert.equal(start.status, 200);
    assert.match(start.text, /name="loginfmt"/);
    const metadata = await request(idp.app)
      .get(`/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml`)
      .set(PROXY_HEADERS)
      .query({ appid: idp.appId });
    assert.equal(metadata.status, 200);
    assert.equal((await request(idp.app).get('/myapps').set(PROXY_HEADERS)).status, 200);
  });
});

describe('mock Entra without an admin token', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp();
  });
  after(() => idp.close());

  test('refuses the admin API and center to a peer beyond loopback, whatever the headers claim', async () => {
    const remote = serveFromPeer(idp.app, '198.51.100.20');
    const api = await request(remote).get('/api/tenants').set(PROXY_HEADERS);
    assert.equal(api.status, 403);
    assert.equal(api.body.error, 'ADMIN_LOOPBACK_ONLY');
    for (const path of ['/', `/admin/${idp.tenantId}/enterprise-apps`]) {
      const page = await request(remote).get(path).set(PROXY_HEADERS);
      assert.equal(page.status, 403, path);
      assert.equal(readErrorCode(page.text), 'ADMIN_LOOPBACK_ONLY', path);
    }
    const start = await request(remote)
      .get(`/${idp.tenantId}/saml2`)
      .query({ SAMLRequest: encodeTestAuthnRequest('_remote-1') });
    assert.equal(start.status, 200);
  });

  test('opens them to a loopback peer', async () => {
    assert.equal((await request(idp.app).get('/api/tenants')).status, 200);
    assert.equal((await request(serveFromPeer(idp.app, '::1')).get('/')).status, 200);
  });
});
