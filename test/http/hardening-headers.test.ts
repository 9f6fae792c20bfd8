import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createSpApp } from '../../src/http/sp-app.js';
import { createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';

/** The directives of a CSP header, by name. */
function readDirectives(header: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values.join(' '));
  }
  return map;
}

describe('security headers', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
  });
  afterEach(() => sp.close());

  it('sends the same strict set on pages, JSON, errors and static files', async () => {
    for (const path of ['/login/saml', '/', '/traces', '/api/health', '/nowhere', '/api/nowhere', '/static/mimecast.css']) {
      const res = await request(sp.app).get(path);
      const csp = readDirectives(res.headers['content-security-policy']);
      assert.equal(csp.get('default-src'), "'none'", path);
      assert.match(csp.get('script-src') ?? '', /^'nonce-[A-Za-z0-9+/=]{20,}'$/, path);
      assert.equal(csp.get('frame-ancestors'), "'none'", path);
      assert.equal(csp.get('base-uri'), "'none'", path);
      // No form-action (the sign-in form posts to the IdP) and no upgrade (the loopback set-up is http).
      assert.equal(csp.has('form-action'), false, path);
      assert.equal(csp.has('upgrade-insecure-requests'), false, path);
      assert.equal(res.headers['x-frame-options'], 'DENY', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
      assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', path);
      assert.equal(res.headers['x-powered-by'], undefined, path);
      assert.equal(res.headers['strict-transport-security'], undefined, path);
    }
  });

  it('keeps pages out of caches', async () => {
    for (const path of ['/login/saml', '/traces', '/api/traces']) {
      assert.equal((await request(sp.app).get(path)).headers['cache-control'], 'no-store', path);
    }
  });

  it("runs the auto-submit script of the POST binding with this response's nonce, a new one each time", async () => {
    const first = await request(sp.app).get('/sso/CUK12A34');
    const second = await request(sp.app).get('/sso/CUK12A34');
    const nonces = [first, second].map((res) => {
      const header = /'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
      const inline = /<script nonce="([^"]+)">/.exec(res.text)?.[1];
      assert.ok(header);
      assert.equal(inline, header);
      return header;
    });
    assert.notEqual(nonces[0], nonces[1]);
  });

  it('sends HSTS only when the SP is reached over https', async () => {
    const app = createSpApp({
      ctx: sp.ctx,
      sessionStore: sp.stores.sessionStore,
      sessionSecret: 's',
      adminToken: null,
      requireAdminToken: false,
      secureCookies: true,
    });
    const res = await request(app).get('/login/saml');
    assert.match(res.headers['strict-transport-security'] ?? '', /^max-age=\d+$/);
  });
});
