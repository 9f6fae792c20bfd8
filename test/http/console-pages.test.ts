import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const CODE = 'CUK12A34';
const URLS = buildAccountUrls({ code: CODE, region: 'eu' }, TEST_BASE_URL);

/** The text a copy button copies: the code element it names. */
function readCopyValue(html: string, id: string): string | null {
  const value = new RegExp(
    `<code class="wrap" id="${id}">([^<]*)</code> <button type="button" class="copy" data-copy="${id}"[^>]*hidden>Copy</button>`,
  ).exec(html)?.[1];
  return value ?? null;
}

describe('Administration Console: Set up in Entra, Test SSO, account switcher', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: CODE,
      name: 'Contoso',
      domains: ['contoso.com'],
      profile: ENTRA_PROFILE,
      users: [{ email: 'admin@contoso.com', roles: ['Full Administrator'] }],
    });
    await sp.seedAccount({ code: 'CUSA1234', region: 'us', name: 'Fabrikam', domains: ['fabrikam.com'] });
  });
  afterEach(() => sp.close());

  it('gives the exact Entra values with copy buttons that a nonce script reveals, and the SP metadata link', async () => {
    const res = await request(sp.app).get(`/accounts/${CODE}`);
    assert.equal(res.status, 200);
    assert.equal(readCopyValue(res.text, 'identifier'), 'https://eu-api.mimecast.com/sso/CUK12A34');
    assert.equal(readCopyValue(res.text, 'reply-local'), URLS.localAcsUrl);
    assert.equal(readCopyValue(res.text, 'reply-production'), 'https://eu-api.mimecast.com/login/saml');
    assert.equal(readCopyValue(res.text, 'sign-on-local'), URLS.localSignOnUrl);
    assert.equal(readCopyValue(res.text, 'sign-on-production'), 'https://eu-api.mimecast.com/login/saml');
    assert.ok(res.text.includes(`href="/sso/${CODE}/metadata"`));
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
    assert.ok(nonce);
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [` nonce="${nonce}"`]);
  });

  it("uses the account's region for the production values", async () => {
    const res = await request(sp.app).get('/accounts/CUSA1234');
    assert.equal(readCopyValue(res.text, 'identifier'), 'https://us-api.mimecast.com/sso/CUSA1234');
    assert.equal(readCopyValue(res.text, 'reply-production'), 'https://us-api.mimecast.com/login/saml');
  });

  it('starts SP-initiated sign-in from Test SSO with a GET form to /sso/<code>', async () => {
    const res = await request(sp.app).get(`/accounts/${CODE}/test-sso`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<form method="get" action="\/sso\/CUK12A34" class="test-sso">/);
    const started = await request(sp.app).get(`/sso/${CODE}`).query({ RelayState: '/administration' });
    assert.equal(started.status, 200);
    assert.match(started.text, /id="saml-post"/);
  });

  it('switches account on the same section, refusing an unknown or missing account', async () => {
    const res = await request(sp.app).get('/console/switch-account').query({ account: 'CUSA1234', section: 'internal-directories' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/accounts/CUSA1234/internal-directories');
    const log = await request(sp.app).get('/console/switch-account').query({ account: 'CUSA1234', section: 'sso-log' });
    assert.equal(log.headers.location, '/traces?account=CUSA1234');
    const odd = await request(sp.app).get('/console/switch-account').query({ account: 'CUSA1234', section: '//evil.example' });
    assert.equal(odd.headers.location, '/accounts/CUSA1234');
    assert.equal((await request(sp.app).get('/console/switch-account').query({ account: 'CNOPE123' })).status, 404);
    assert.equal((await request(sp.app).get('/console/switch-account')).status, 400);
  });

  it('shows who signed in on the Administration Console landing, with the report link and a token sign-out form', async () => {
    const agent = request.agent(sp.app);
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'admin@contoso.com',
    });
    const signIn = await agent.post('/login/saml').type('form').send({ SAMLResponse: built.base64, RelayState: '/administration' });
    assert.equal(signIn.status, 303);
    const res = await agent.get('/administration');
    assert.equal(res.status, 200);
    assert.match(res.text, /<dt>Flow<\/dt><dd>IdP-initiated<\/dd>/);
    assert.match(res.text, /<dt>Account<\/dt><dd><code>CUK12A34<\/code><\/dd>/);
    assert.match(res.text, /<td><code>http:\/\/schemas\.microsoft\.com\/identity\/claims\/tenantid<\/code><\/td>/);
    assert.match(res.text, /href="\/traces\/[^"]+">Open the SAML trace report<\/a>/);
    assert.match(res.text, /<form method="post" action="\/logout"><input type="hidden" name="_csrf" value="[^"]+">/);
    assert.ok(res.text.includes(`href="/accounts/${CODE}/authentication-profiles"`));
  });
});

describe('Administration Console behind the admin token', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({ requireAdminToken: true });
    await sp.seedAccount({ code: CODE, domains: ['contoso.com'], profile: ENTRA_PROFILE });
  });
  afterEach(() => sp.close());

  it('asks for the token on every console page and form', async () => {
    for (const path of [
      `/accounts/${CODE}/authentication-profiles`,
      `/accounts/${CODE}/authentication-profiles/profile`,
      `/accounts/${CODE}/internal-directories`,
      `/accounts/${CODE}/test-sso`,
      '/console/switch-account?account=CUK12A34',
      '/traces/x/capture',
    ]) {
      const res = await request(sp.app).get(path);
      assert.equal(res.status, 401, path);
      assert.match(res.text, /ADMIN_TOKEN_REQUIRED/);
    }
    const post = await request(sp.app)
      .post(`/accounts/${CODE}/internal-directories/new-domain`)
      .type('form')
      .send({ domain: 'fabrikam.com' });
    assert.equal(post.status, 401);
  });

  it('works once the browser proved the token, and still needs the form token', async () => {
    const agent = request.agent(sp.app);
    assert.equal((await agent.get(`/accounts/${CODE}/internal-directories/new-domain?token=${TEST_ADMIN_TOKEN}`)).status, 303);
    const page = await agent.get(`/accounts/${CODE}/internal-directories/new-domain`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(token);
    assert.equal(
      (await agent.post(`/accounts/${CODE}/internal-directories/new-domain`).type('form').send({ domain: 'fabrikam.com' })).status,
      403,
    );
    const added = await agent
      .post(`/accounts/${CODE}/internal-directories/new-domain`)
      .type('form')
      .send({ _csrf: token, domain: 'fabrikam.com' });
    assert.equal(added.status, 303);
  });
});
