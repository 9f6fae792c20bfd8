import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';
import { spSigning } from '../_helpers/test-keys.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);

function respondFor(sp: TestSp, email: string): string {
  return buildSignedTestResponse({ now: sp.clock.now(), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email }).base64;
}

/** The full Set-Cookie line for mm.sid, if the response set it. */
function readSessionSetCookie(res: request.Response): string | null {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('mm.sid=')) ?? null;
}

async function seed(sp: TestSp): Promise<void> {
  await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
}

describe('session cookie', () => {
  let sp: TestSp;
  afterEach(() => sp.close());

  it('is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain http', async () => {
    sp = createTestSp();
    await seed(sp);
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    const cookie = readSessionSetCookie(res);
    assert.ok(cookie);
    const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
    assert.ok(attributes.includes('httponly'));
    assert.ok(attributes.includes('samesite=lax'));
    assert.ok(attributes.includes('path=/'));
    assert.equal(attributes.includes('secure'), false);
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  it('is never sent over plain http when the SP is configured for https', async () => {
    sp = createTestSp({ secureCookies: true });
    await seed(sp);
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    assert.equal(res.status, 303);
    assert.equal(readSessionSetCookie(res), null);
  });

  it('is Secure under TLS, with HSTS', async () => {
    sp = createTestSp({ secureCookies: true });
    await seed(sp);
    const server: Server = createServer({ key: spSigning.key, cert: spSigning.cert }, sp.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await request(base)
        .post('/login/saml')
        .disableTLSCerts()
        .type('form')
        .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
      assert.equal(res.status, 303);
      const cookie = readSessionSetCookie(res);
      assert.ok(cookie);
      const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
      assert.ok(attributes.includes('secure'));
      assert.ok(attributes.includes('httponly'));
      assert.ok(attributes.includes('samesite=lax'));
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('session id', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({ requireAdminToken: true });
    await seed(sp);
  });
  afterEach(() => sp.close());

  it('is replaced at sign-in, so an id planted before it is not signed in afterwards', async () => {
    const agent = request.agent(sp.app);
    const planted = readSessionSetCookie(await agent.get('/traces').query({ token: TEST_ADMIN_TOKEN }));
    assert.ok(planted);
    const signIn = await agent
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    const fresh = readSessionSetCookie(signIn);
    assert.ok(fresh);
    assert.notEqual(fresh.split(';')[0], planted.split(';')[0]);
    assert.equal(
      (
        await request(sp.app)
          .get('/api/session')
          .set('Cookie', planted.split(';')[0] as string)
      ).status,
      401,
    );
    assert.equal(
      (
        await request(sp.app)
          .get('/api/session')
          .set('Cookie', fresh.split(';')[0] as string)
      ).status,
      200,
    );
  });

  it('is dead after sign-out, even when the old cookie is sent again', async () => {
    const agent = request.agent(sp.app);
    const signIn = await agent
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    const cookie = (readSessionSetCookie(signIn) ?? '').split(';')[0] as string;
    const portal = await agent.get('/portal');
    const token = /name="_csrf" value="([^"]+)"/.exec(portal.text)?.[1];
    assert.ok(token);
    assert.equal((await agent.post('/logout').type('form').send({ _csrf: token })).status, 303);
    assert.equal((await request(sp.app).get('/api/session').set('Cookie', cookie)).status, 401);
  });
});
