import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const CONTOSO = { code: 'CUK12A34', region: 'eu', name: 'Contoso', domains: ['Contoso.COM', 'contoso.com'] };

describe('SP API: /api/accounts', () => {
  let sp: TestSp;
  beforeEach(() => {
    sp = createTestSp();
  });
  afterEach(() => sp.close());

  it('creates an account with its URLs and lower-cased domains, and no profile until one is created', async () => {
    const res = await request(sp.app).post('/api/accounts').send(CONTOSO);
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/api/accounts/CUK12A34');
    assert.equal(res.body.code, 'CUK12A34');
    assert.deepEqual(res.body.domains, ['contoso.com']);
    assert.equal(res.body.urls.identifier, 'https://eu-api.mimecast.com/sso/CUK12A34');
    assert.equal(res.body.urls.localAcsUrl, 'http://sp.test/login/saml');
    assert.equal(res.body.urls.productionAcsUrl, 'https://eu-api.mimecast.com/login/saml');

    const missing = await request(sp.app).get('/api/accounts/CUK12A34/profile');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'PROFILE_NOT_FOUND');
    const created = await request(sp.app).put('/api/accounts/CUK12A34/profile').send({ description: 'Entra ID SSO' });
    assert.equal(created.status, 200);
    const profile = await request(sp.app).get('/api/accounts/CUK12A34/profile');
    assert.equal(profile.status, 200);
    // Mimecast's defaults for a new profile: Enforce and Allow Single Sign On unticked, both contexts ticked.
    assert.equal(profile.body.enforceAdminConsole, false);
    assert.equal(profile.body.allowSingleSignOn, false);
    assert.equal(profile.body.usePasswordProtectedContext, true);
    assert.equal(profile.body.useIntegratedAuthContext, true);
    assert.equal(profile.body.requestBinding, 'post');
    assert.deepEqual(profile.body.certificates, []);
  });

  it('defaults the name to the code and domains to none', async () => {
    const res = await request(sp.app).post('/api/accounts').send({ code: 'CUSA1B2', region: 'us' });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, 'CUSA1B2');
    assert.deepEqual(res.body.domains, []);
  });

  it('lists, reads, patches and deletes accounts', async () => {
    await request(sp.app).post('/api/accounts').send(CONTOSO).expect(201);
    const list = await request(sp.app).get('/api/accounts');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.accounts.map((a: { code: string }) => a.code),
      ['CUK12A34'],
    );

    const one = await request(sp.app).get('/api/accounts/CUK12A34');
    assert.equal(one.status, 200);
    assert.equal(one.body.name, 'Contoso');

    const patched = await request(sp.app)
      .patch('/api/accounts/CUK12A34')
      .send({ region: 'de', domains: ['fabrikam.com'] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.region, 'de');
    assert.deepEqual(patched.body.domains, ['fabrikam.com']);
    assert.equal(patched.body.urls.identifier, 'https://de-api.mimecast.com/sso/CUK12A34');

    await request(sp.app).delete('/api/accounts/CUK12A34').expect(204);
    const gone = await request(sp.app).get('/api/accounts/CUK12A34');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error, 'ACCOUNT_NOT_FOUND');
  });

  it('refuses a lower-case account code with a hint naming the upper-case one', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, code: 'cuk12a34' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.ok(res.body.details.some((d: { path: string }) => d.path === 'code'));
    assert.match(res.body.hint, /CUK12A34/);
  });

  it('refuses a code that is not a Mimecast account code', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, code: 'HELLO' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
  });

  it('refuses an unknown region', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, region: 'mars' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.deepEqual(
      res.body.details.map((d: { path: string }) => d.path),
      ['region'],
    );
  });

  it('refuses a domain that is not a DNS name', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, domains: ['not a domain'] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.equal(res.body.details[0].path, 'domains.0');
  });

  it('refuses unknown keys, one detail per key', async () => {
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, colour: 'blue', size: 3 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.deepEqual(res.body.details.map((d: { path: string }) => d.path).sort(), ['colour', 'size']);
  });

  it('refuses a body that is an array, and a missing body', async () => {
    const array = await request(sp.app).post('/api/accounts').send([CONTOSO]);
    assert.equal(array.status, 400);
    assert.equal(array.body.error, 'VALIDATION_FAILED');
    const empty = await request(sp.app).post('/api/accounts');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error, 'VALIDATION_FAILED');
  });

  it('refuses a duplicate account', async () => {
    await request(sp.app).post('/api/accounts').send(CONTOSO).expect(201);
    const res = await request(sp.app)
      .post('/api/accounts')
      .send({ ...CONTOSO, domains: [] });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'ACCOUNT_EXISTS');
  });

  it('refuses a domain that another account owns, on create and on patch', async () => {
    await request(sp.app).post('/api/accounts').send(CONTOSO).expect(201);
    await request(sp.app)
      .post('/api/accounts')
      .send({ code: 'CDE9Z9Z9', region: 'de', domains: ['fabrikam.de'] })
      .expect(201);
    const created = await request(sp.app)
      .post('/api/accounts')
      .send({ code: 'CUSB1234', region: 'usb', domains: ['contoso.com'] });
    assert.equal(created.status, 409);
    assert.equal(created.body.error, 'DOMAIN_IN_USE');
    const patched = await request(sp.app)
      .patch('/api/accounts/CDE9Z9Z9')
      .send({ domains: ['contoso.com'] });
    assert.equal(patched.status, 409);
    assert.equal(patched.body.error, 'DOMAIN_IN_USE');
  });

  it('answers ACCOUNT_NOT_FOUND for an unknown code on every verb', async () => {
    for (const res of [
      await request(sp.app).get('/api/accounts/CNOPE123'),
      await request(sp.app).patch('/api/accounts/CNOPE123').send({ name: 'x' }),
      await request(sp.app).delete('/api/accounts/CNOPE123'),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'ACCOUNT_NOT_FOUND');
    }
  });

  it('refuses unknown keys in a patch', async () => {
    await request(sp.app).post('/api/accounts').send(CONTOSO).expect(201);
    const res = await request(sp.app).patch('/api/accounts/CUK12A34').send({ code: 'CUK99999' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
  });
});
