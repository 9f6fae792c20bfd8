import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);

function respondFor(sp: TestSp, email: string): string {
  return buildSignedTestResponse({ now: sp.clock.now(), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email }).base64;
}

/** The `_csrf` hidden field of a rendered page. */
function readCsrfField(html: string): string | null {
  return /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)?.[1] ?? null;
}

/** Signs `email` in on a fresh agent and returns it with the token from its landing page. */
async function signIn(sp: TestSp, email: string, agent = request.agent(sp.app)) {
  const res = await agent
    .post('/login/saml')
    .type('form')
    .send({ SAMLResponse: respondFor(sp, email) });
  assert.equal(res.status, 303);
  const landing = await agent.get(res.headers.location as string);
  const token = readCsrfField(landing.text);
  assert.ok(token, 'the landing page carries a form token');
  return { agent, token, landing };
}

describe('CSRF protection of the console forms', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: 'CUK12A34',
      domains: ['contoso.com'],
      profile: ENTRA_PROFILE,
      users: [{ email: 'alex@contoso.com' }, { email: 'admin@contoso.com', roles: ['Full Administrator'] }],
    });
  });
  afterEach(() => sp.close());

  it('signs out with the token from the page', async () => {
    const { agent, token } = await signIn(sp, 'alex@contoso.com');
    const out = await agent.post('/logout').type('form').send({ _csrf: token });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/login/saml?signedOut=1');
    assert.equal((await agent.get('/api/session')).status, 401);
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const { agent, token } = await signIn(sp, 'alex@contoso.com');
    assert.equal((await agent.post('/logout').set('X-CSRF-Token', token)).status, 303);
  });

  it('refuses a sign-out without the token, or with a wrong one, and keeps the session', async () => {
    const { agent, token } = await signIn(sp, 'alex@contoso.com');
    const attempts = [
      agent.post('/logout'),
      agent.post('/logout').type('form').send({ _csrf: '' }),
      agent
        .post('/logout')
        .type('form')
        .send({ _csrf: `${token}x` }),
      agent
        .post('/logout')
        .type('form')
        .send({ _csrf: token.slice(0, -1) }),
      agent.post('/logout').set('Origin', 'http://localhost:3001').type('form').send({ other: 'field' }),
      agent.post('/logout').type('json').send({ _csrf: token }),
    ];
    for (const attempt of attempts) {
      const res = await attempt;
      assert.equal(res.status, 403);
      assert.match(res.text, /CSRF_TOKEN_INVALID/);
    }
    assert.equal((await agent.get('/api/session')).status, 200);
  });

  it('answers a JSON client with the error shape and a hint', async () => {
    const { agent } = await signIn(sp, 'alex@contoso.com');
    const res = await agent.post('/logout').set('Accept', 'application/json');
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'CSRF_TOKEN_INVALID');
    assert.equal(typeof res.body.hint, 'string');
    assert.ok(res.body.hint.length > 0);
  });

  it("refuses another session's token", async () => {
    const first = await signIn(sp, 'alex@contoso.com');
    const second = await signIn(sp, 'admin@contoso.com');
    assert.notEqual(first.token, second.token);
    assert.equal((await first.agent.post('/logout').type('form').send({ _csrf: second.token })).status, 403);
  });

  it('gives a new token at sign-in, so a token from before it is worthless', async () => {
    const first = await signIn(sp, 'alex@contoso.com');
    const again = await signIn(sp, 'admin@contoso.com', first.agent);
    assert.notEqual(again.token, first.token);
    assert.equal((await first.agent.post('/logout').type('form').send({ _csrf: first.token })).status, 403);
    assert.equal((await first.agent.post('/logout').type('form').send({ _csrf: again.token })).status, 303);
  });

  it('puts the token in the sign-out form of the Administration Console refusal page too', async () => {
    const { agent, token } = await signIn(sp, 'alex@contoso.com');
    const refused = await agent.get('/administration');
    assert.equal(refused.status, 403);
    assert.equal(readCsrfField(refused.text), token);
  });

  it('lets a browser that is not signed in sign out without a token (there is nothing to end)', async () => {
    const res = await request(sp.app).post('/logout');
    assert.equal(res.status, 303);
  });

  it('never asks the ACS for a token: the IdP posts to it cross-site by design', async () => {
    const res = await request(sp.app)
      .post('/login/saml')
      .set('Origin', 'https://login.microsoftonline.com')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/portal');
  });

  it('keeps the ACS exempt under the other spellings Express routes to it', async () => {
    for (const path of ['/LOGIN/SAML', '/login/saml/']) {
      const res = await request(sp.app)
        .post(path)
        .type('form')
        .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
      assert.equal(res.status, 303, path);
    }
  });
});

describe('CSRF protection of a console session (admin token)', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({ requireAdminToken: true });
  });
  afterEach(() => sp.close());

  it('protects a session that holds console access even before anyone signs in', async () => {
    const agent = request.agent(sp.app);
    assert.equal((await agent.get(`/traces?token=${TEST_ADMIN_TOKEN}`)).status, 303);
    const refused = await agent.post('/logout');
    assert.equal(refused.status, 403);
    assert.match(refused.text, /CSRF_TOKEN_INVALID/);
    assert.equal((await agent.get('/traces')).status, 200);
  });
});
