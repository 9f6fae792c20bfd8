import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

describe('SP error handling', () => {
  let sp: TestSp;
  beforeEach(() => {
    sp = createTestSp();
  });
  afterEach(() => sp.close());

  it('answers MALFORMED_JSON for a body that is not JSON', async () => {
    const res = await request(sp.app).post('/api/accounts').set('Content-Type', 'application/json').send('{"code": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'MALFORMED_JSON');
    assert.equal(typeof res.body.hint, 'string');
  });

  it('answers UNSUPPORTED_MEDIA_TYPE for a body of another type', async () => {
    const res = await request(sp.app).post('/api/accounts').set('Content-Type', 'text/plain').send('code=CUK12A34');
    assert.equal(res.status, 415);
    assert.equal(res.body.error, 'UNSUPPORTED_MEDIA_TYPE');
    const acs = await request(sp.app).post('/login/saml').set('Content-Type', 'application/json').send('{"SAMLResponse":"x"}');
    assert.equal(acs.status, 415);
    assert.match(acs.text, /UNSUPPORTED_MEDIA_TYPE/);
  });

  it('answers PAYLOAD_TOO_LARGE for an API body over 1 MB', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'CUK12A34', region: 'eu', name: 'x'.repeat(1_100_000) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'PAYLOAD_TOO_LARGE');
  });

  it('answers the ACS with a PAYLOAD_TOO_LARGE page, not a 5xx, for a form over 512 kB', async () => {
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: 'A'.repeat(600 * 1024) });
    assert.equal(res.status, 413);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.text, /PAYLOAD_TOO_LARGE/);
  });

  it('answers NOT_FOUND as JSON under /api and as a page elsewhere', async () => {
    const api = await request(sp.app).get('/api/nothing-here');
    assert.equal(api.status, 404);
    assert.equal(api.body.error, 'NOT_FOUND');
    const page = await request(sp.app).get('/nothing-here');
    assert.equal(page.status, 404);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.text, /NOT_FOUND/);
    const json = await request(sp.app).get('/nothing-here').set('Accept', 'application/json');
    assert.equal(json.status, 404);
    assert.equal(json.body.error, 'NOT_FOUND');
  });

  it('answers INTERNAL without any detail when something breaks', async () => {
    sp.stores.accounts.list = async () => {
      throw new Error('secret internal detail');
    };
    const res = await request(sp.app).get('/api/accounts');
    assert.equal(res.status, 500);
    assert.equal(res.body.error, 'INTERNAL');
    assert.equal(JSON.stringify(res.body).includes('secret'), false);
    const page = await request(sp.app).get('/');
    assert.equal(page.status, 500);
    assert.equal(page.text.includes('secret'), false);
    assert.equal(/\.ts:\d+/.test(page.text), false);
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const generated = await request(sp.app).get('/api/health');
    assert.match(generated.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    const kept = await request(sp.app).get('/api/health').set('x-request-id', 'abc-123');
    assert.equal(kept.headers['x-request-id'], 'abc-123');
    const replaced = await request(sp.app).get('/api/health').set('x-request-id', 'bad id <script>');
    assert.notEqual(replaced.headers['x-request-id'], 'bad id <script>');
  });

  it('sends security headers and serves the stylesheet', async () => {
    const res = await request(sp.app).get('/login/saml');
    assert.match(res.headers['content-security-policy'] ?? '', /script-src 'nonce-/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-powered-by'], undefined);
    const css = await request(sp.app).get('/static/mimecast.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'] ?? '', /text\/css/);
  });
});
