import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { defaults } from '../../src/config/defaults.js';
import type { RateLimitSettings } from '../../src/http/middleware/rate-limit.middleware.js';
import { createSpApp } from '../../src/http/sp-app.js';
import { createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';

const LOW: RateLimitSettings = { windowSeconds: 60, signIn: 3, acs: 3, metadataImport: 2 };

function buildApp(sp: TestSp, rateLimits: RateLimitSettings) {
  return createSpApp({
    ctx: sp.ctx,
    sessionStore: sp.stores.sessionStore,
    sessionSecret: 's',
    adminToken: null,
    requireAdminToken: false,
    rateLimits,
  });
}

/** Asserts the 429 shape: code, Retry-After in seconds within the window. */
function assertLimited(res: request.Response): void {
  assert.equal(res.status, 429);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers['retry-after']}`);
  assert.match(res.text, /RATE_LIMITED/);
}

describe('rate limits', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
  });
  afterEach(() => sp.close());

  it('has defaults a person or the test suite never reaches', () => {
    assert.ok(defaults.rateLimits.signIn >= 100 && defaults.rateLimits.acs >= 100 && defaults.rateLimits.metadataImport >= 30);
  });

  it('limits ACS posts with 429 RATE_LIMITED and Retry-After, as JSON or as the error page', async () => {
    const app = buildApp(sp, LOW);
    for (let i = 0; i < 3; i += 1) {
      assert.notEqual((await request(app).post('/login/saml').type('form').send({ SAMLResponse: 'x' })).status, 429);
    }
    const page = await request(app).post('/login/saml').set('Accept', 'text/html').type('form').send({ SAMLResponse: 'x' });
    assertLimited(page);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.headers['content-security-policy'] ?? '', /script-src 'nonce-/);
    const json = await request(app).post('/login/saml').set('Accept', 'application/json').type('form').send({ SAMLResponse: 'x' });
    assertLimited(json);
    assert.equal(json.body.error, 'RATE_LIMITED');
    assert.equal(typeof json.body.hint, 'string');
    assert.equal(json.body.details.retryAfterSeconds, Number(json.headers['retry-after']));
  });

  it('counts sign-in starts by email and per account together, and not the bare sign-in page', async () => {
    const app = buildApp(sp, LOW);
    for (let i = 0; i < 5; i += 1) assert.equal((await request(app).get('/login/saml')).status, 200);
    assert.equal((await request(app).get('/login/saml').query({ email: 'alex@contoso.com' })).status, 200);
    assert.equal((await request(app).get('/sso/CUK12A34')).status, 200);
    assert.equal((await request(app).get('/login/saml').query({ email: 'nobody@nowhere.example' })).status, 404);
    assertLimited(await request(app).get('/sso/CUK12A34'));
    assertLimited(await request(app).get('/login/saml').query({ email: 'alex@contoso.com' }));
    assert.equal((await request(app).get('/login/saml')).status, 200);
    assert.equal((await request(app).get('/sso/CUK12A34/metadata')).status, 200);
  });

  it('limits metadata imports, before the body is read', async () => {
    const app = buildApp(sp, LOW);
    const url = '/api/accounts/CUK12A34/profile/import-metadata';
    for (let i = 0; i < 2; i += 1) assert.equal((await request(app).post(url).send({ xml: '<nope/>' })).status, 422);
    const limited = await request(app).post(url).send({ xml: '<nope/>' });
    assertLimited(limited);
    assert.equal(limited.body.error, 'RATE_LIMITED');
    // Other API calls are not counted.
    assert.equal((await request(app).get('/api/accounts/CUK12A34/profile')).status, 200);
  });

  it('keeps counts per app, and 0 turns a limit off', async () => {
    const limited = buildApp(sp, { ...LOW, acs: 1 });
    await request(limited).post('/login/saml').type('form').send({ SAMLResponse: 'x' });
    assertLimited(await request(limited).post('/login/saml').type('form').send({ SAMLResponse: 'x' }));
    const other = buildApp(sp, { ...LOW, acs: 1 });
    assert.notEqual((await request(other).post('/login/saml').type('form').send({ SAMLResponse: 'x' })).status, 429);
    const off = buildApp(sp, { ...LOW, acs: 0 });
    for (let i = 0; i < 10; i += 1)
      assert.notEqual((await request(off).post('/login/saml').type('form').send({ SAMLResponse: 'x' })).status, 429);
  });

  it('does not let a client choose its own key with X-Forwarded-For', async () => {
    const app = buildApp(sp, { ...LOW, acs: 1 });
    await request(app).post('/login/saml').set('X-Forwarded-For', '203.0.113.1').type('form').send({ SAMLResponse: 'x' });
    assertLimited(await request(app).post('/login/saml').set('X-Forwarded-For', '203.0.113.2').type('form').send({ SAMLResponse: 'x' }));
  });
});
