import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildFederationMetadata } from '../../src/core/idp/federation-metadata.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { createSpApp } from '../../src/http/sp-app.js';
import { createDocumentFetcher } from '../../src/net/fetch-document.js';
import { buildSignedTestResponse, TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';
import { idp1 } from '../_helpers/test-keys.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);

function respondFor(sp: TestSp, email: string): string {
  return buildSignedTestResponse({ now: sp.clock.now(), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email }).base64;
}

async function seed(sp: TestSp): Promise<void> {
  await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
}

describe('Host header (DNS rebinding) on loopback', () => {
  let sp: TestSp;
  afterEach(() => sp.close());

  it('answers loopback names and the public URL host, and refuses any other name with 421', async () => {
    sp = createTestSp();
    for (const host of [
      'localhost:3000',
      '127.0.0.1:3000',
      '[::1]:3000',
      'LOCALHOST',
      'sp.test',
      'app.localhost:3000',
      'eu-api.mimecast.com',
      'uspcom-api.mimecast-pscom-us.com:443',
    ]) {
      assert.equal((await request(sp.app).get('/api/health').set('Host', host)).status, 200, host);
    }
    for (const host of [
      'attacker.example',
      'attacker.example:3000',
      '0.0.0.0:3000',
      '10.0.0.5',
      'sp.test.attacker.example',
      'localhost.attacker.example',
      'a b',
      'localhost/x',
    ]) {
      const res = await request(sp.app)
        .post('/api/accounts')
        .set('Host', host)
        .send({ code: 'CEVIL123', region: 'eu', domains: ['evil.example'] });
      assert.equal(res.status, 421, host);
      assert.equal(res.body.error, 'HOST_NOT_ALLOWED', host);
    }
    assert.equal(await sp.stores.accounts.get('CEVIL123'), null);
    const page = await request(sp.app).get('/').set('Host', 'attacker.example');
    assert.equal(page.status, 421);
    assert.match(page.text, /HOST_NOT_ALLOWED/);
    assert.match(page.headers['content-security-policy'] ?? '', /script-src 'nonce-/);
  });

  it('answers the extra names a deployment lists', async () => {
    sp = createTestSp();
    const app = createSpApp({
      ctx: sp.ctx,
      sessionStore: sp.stores.sessionStore,
      sessionSecret: 's',
      adminToken: null,
      requireAdminToken: false,
      allowedHostNames: ['harness.corp.example'],
    });
    assert.equal((await request(app).get('/api/health').set('Host', 'harness.corp.example:8443')).status, 200);
    assert.equal((await request(app).get('/api/health').set('Host', 'other.corp.example')).status, 421);
  });

  it('is not applied when the SP listens beyond loopback behind the admin token', async () => {
    sp = createTestSp({ requireAdminToken: true });
    const res = await request(sp.app).get('/api/health').set('Host', 'mock-mimecast.internal.example:3000');
    assert.equal(res.status, 200);
    const api = await request(sp.app)
      .get('/api/accounts')
      .set('Host', 'mock-mimecast.internal.example')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    assert.equal(api.status, 200);
  });
});

describe('request body limits', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await seed(sp);
  });
  afterEach(() => sp.close());

  it('answers an ACS post over the limit with 413 and keeps none of its body, only the refusal in a trace', async () => {
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send(`SAMLResponse=${'A'.repeat(600 * 1024)}`);
    assert.equal(res.status, 413);
    assert.match(res.text, /PAYLOAD_TOO_LARGE/);
    const traces = await sp.stores.traces.list({ limit: 10 });
    assert.deepEqual(
      traces.map((t) => ({ raw: t.raw, xml: t.xml, accountCode: t.accountCode, codes: t.checks.map((c) => c.code) })),
      [{ raw: '', xml: null, accountCode: null, codes: ['PAYLOAD_TOO_LARGE'] }],
    );
  });

  it('answers a JSON body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(sp.app)
      .put('/api/accounts/CUK12A34/profile')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 10) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a console form over its small limit with 413', async () => {
    const res = await request(sp.app)
      .post('/logout')
      .type('form')
      .send(`_csrf=${'x'.repeat(20 * 1024)}`);
    assert.equal(res.status, 413);
  });
});

describe('redirect targets after sign-in', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await seed(sp);
  });
  afterEach(() => sp.close());

  const UNSAFE = [
    'https://attacker.example/',
    '//attacker.example/x',
    '/\\attacker.example',
    '\\\\attacker.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/\t/attacker.example',
    '/portal\r\nSet-Cookie: x=y',
    ' /portal',
    `/${'a'.repeat(600)}`,
  ];

  it('ignores a RelayState that is not a same-origin path and lands on the default page', async () => {
    for (const relayState of UNSAFE) {
      const res = await request(sp.app)
        .post('/login/saml')
        .type('form')
        .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com'), RelayState: relayState });
      assert.equal(res.status, 303, relayState);
      assert.equal(res.headers.location, '/portal', relayState);
    }
  });

  it('follows a same-origin path, percent-encoded so the browser stays on this origin', async () => {
    for (const [relayState, location] of [
      ['/portal?tab=claims', '/portal?tab=claims'],
      ['/traces', '/traces'],
      ['/%2F%2Fattacker.example', '/%2F%2Fattacker.example'],
    ]) {
      const res = await request(sp.app)
        .post('/login/saml')
        .type('form')
        .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com'), RelayState: relayState });
      assert.equal(res.headers.location, location);
      assert.equal(new URL(res.headers.location as string, 'http://sp.test').origin, 'http://sp.test');
    }
  });

  it('refuses to start sign-in with a RelayState that is not a same-origin path', async () => {
    for (const relayState of UNSAFE.slice(0, 6)) {
      const viaAccount = await request(sp.app).get('/sso/CUK12A34').query({ RelayState: relayState });
      assert.equal(viaAccount.status, 400, relayState);
      assert.match(viaAccount.text, /RELAY_STATE_UNSAFE/);
      const viaEmail = await request(sp.app).get('/login/saml').query({ email: 'alex@contoso.com', RelayState: relayState });
      assert.equal(viaEmail.status, 400, relayState);
    }
    assert.equal((await sp.stores.traces.list({ limit: 10 })).length, 0);
  });
});

describe('metadata import by URL (SSRF guard through the API)', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({
      fetchDocument: createDocumentFetcher({
        timeoutMs: 2000,
        maxBytes: 1024 * 1024,
        allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
        resolveHost: async (hostname) => {
          if (hostname === 'idp.example.com') return [{ address: '10.0.0.1', family: 4 }];
          throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        },
      }),
    });
    await seed(sp);
  });
  afterEach(() => sp.close());

  it('refuses private and cloud-metadata targets with 422 METADATA_ADDRESS_REFUSED and keeps the profile', async () => {
    const before = await sp.stores.profiles.get('CUK12A34');
    for (const url of [
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://[::ffff:10.0.0.1]/federationmetadata.xml',
      'https://idp.example.com/federationmetadata/2007-06/federationmetadata.xml',
    ]) {
      const res = await request(sp.app).post('/api/accounts/CUK12A34/profile/import-metadata').send({ url });
      assert.equal(res.status, 422, url);
      assert.equal(res.body.error, 'METADATA_ADDRESS_REFUSED', url);
      assert.match(res.body.hint, /metadata\.allowedHosts/);
    }
    assert.deepEqual(await sp.stores.profiles.get('CUK12A34'), before);
  });
});

describe('Login URL from imported metadata', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await seed(sp);
  });
  afterEach(() => sp.close());

  it('refuses to import metadata whose SSO or SLO Location is not http(s), leaving the profile as it was', async () => {
    const metadata = buildFederationMetadata({
      tenantId: TEST_TENANT_ID,
      idpBaseUrl: 'http://localhost:3001',
      certificates: [idp1.cert],
      signingKey: idp1.key,
      signingCert: idp1.cert,
      documentId: '_md1',
    });
    const before = await sp.stores.profiles.get('CUK12A34');
    for (const scheme of ['javascript:alert(document.domain)//', 'data:text/html,x', 'vbscript:x']) {
      const xml = metadata.replace(/Location="[^"]*saml2"/g, `Location="${scheme}"`);
      const res = await request(sp.app).post('/api/accounts/CUK12A34/profile/import-metadata').send({ xml });
      assert.equal(res.status, 422, scheme);
      assert.equal(res.body.error, 'METADATA_INVALID');
      assert.deepEqual(await sp.stores.profiles.get('CUK12A34'), before);
    }
  });

  it('never sends the browser to a stored Login URL that is not http(s)', async () => {
    const profile = await sp.stores.profiles.get('CUK12A34');
    assert.ok(profile);
    for (const scheme of ['javascript:alert(document.domain)//', 'data:text/html,x', 'vbscript:x']) {
      await sp.stores.profiles.put({ ...profile, loginUrl: scheme });
      const start = await request(sp.app).get('/sso/CUK12A34');
      assert.equal(start.status, 409, scheme);
      assert.match(start.text, /LOGIN_URL_UNSAFE/);
      assert.equal(start.text.includes(scheme.slice(0, 9)), false);
      const byEmail = await request(sp.app).get('/login/saml').query({ email: 'alex@contoso.com' });
      assert.equal(byEmail.status, 409);
    }
  });
});
