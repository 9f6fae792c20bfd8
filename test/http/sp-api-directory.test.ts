import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const CODE = 'CUK12A34';
const DIRECTORY = `/api/accounts/${CODE}/directory`;

describe('SP API: internal directory', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: CODE, domains: ['contoso.com'] });
  });
  afterEach(() => sp.close());

  it('adds an address with a write-only password', async () => {
    const res = await request(sp.app)
      .post(DIRECTORY)
      .send({ email: 'B.Simon@contoso.com', globalName: 'B. Simon', password: 'Pa55w.rd!', roles: ['Full Administrator'] });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, `${DIRECTORY}/B.Simon%40contoso.com`);
    assert.equal(res.body.email, 'B.Simon@contoso.com');
    assert.deepEqual(res.body.roles, ['Full Administrator']);
    assert.equal('password' in res.body, false);
    assert.equal(await sp.stores.directory.verifyPassword(CODE, 'b.simon@contoso.com', 'Pa55w.rd!'), true);

    const list = await request(sp.app).get(DIRECTORY);
    assert.equal(list.status, 200);
    assert.equal(list.body.users.length, 1);
    assert.equal(JSON.stringify(list.body).includes('Pa55w.rd!'), false);
  });

  it('defaults Global Name to the local part', async () => {
    const res = await request(sp.app).post(DIRECTORY).send({ email: 'alex@contoso.com' });
    assert.equal(res.status, 201);
    assert.equal(res.body.globalName, 'alex');
    assert.equal(res.body.forceChangeAtLogin, false);
  });

  it('reads case-insensitively, patches and deletes an address', async () => {
    await request(sp.app).post(DIRECTORY).send({ email: 'B.Simon@contoso.com' }).expect(201);
    const one = await request(sp.app).get(`${DIRECTORY}/b.simon%40contoso.com`);
    assert.equal(one.status, 200);
    assert.equal(one.body.email, 'B.Simon@contoso.com');

    const patched = await request(sp.app)
      .patch(`${DIRECTORY}/b.simon@contoso.com`)
      .send({ roles: ['Basic Administrator'], forceChangeAtLogin: true });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.roles, ['Basic Administrator']);
    assert.equal(patched.body.forceChangeAtLogin, true);

    await request(sp.app).delete(`${DIRECTORY}/B.SIMON@contoso.com`).expect(204);
    const gone = await request(sp.app).get(`${DIRECTORY}/b.simon@contoso.com`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error, 'USER_NOT_FOUND');
  });

  it("refuses an email outside the account's domains", async () => {
    const res = await request(sp.app).post(DIRECTORY).send({ email: 'someone@fabrikam.com' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'DOMAIN_NOT_IN_ACCOUNT');
  });

  it('refuses a duplicate address, whatever its case', async () => {
    await request(sp.app).post(DIRECTORY).send({ email: 'B.Simon@contoso.com' }).expect(201);
    const res = await request(sp.app).post(DIRECTORY).send({ email: 'b.simon@CONTOSO.com' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'USER_EXISTS');
  });

  it('refuses something that is not an email, unknown keys, and a password in a patch', async () => {
    const bad = await request(sp.app).post(DIRECTORY).send({ email: 'not-an-email', admin: true });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    assert.deepEqual(bad.body.details.map((d: { path: string }) => d.path).sort(), ['admin', 'email']);

    await request(sp.app).post(DIRECTORY).send({ email: 'alex@contoso.com' }).expect(201);
    const patch = await request(sp.app).patch(`${DIRECTORY}/alex@contoso.com`).send({ password: 'x' });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.error, 'VALIDATION_FAILED');
  });

  it('answers USER_NOT_FOUND and ACCOUNT_NOT_FOUND', async () => {
    const patch = await request(sp.app).patch(`${DIRECTORY}/nobody@contoso.com`).send({ globalName: 'x' });
    assert.equal(patch.status, 404);
    assert.equal(patch.body.error, 'USER_NOT_FOUND');
    const del = await request(sp.app).delete(`${DIRECTORY}/nobody@contoso.com`);
    assert.equal(del.status, 404);
    assert.equal(del.body.error, 'USER_NOT_FOUND');
    for (const res of [
      await request(sp.app).get('/api/accounts/CNOPE123/directory'),
      await request(sp.app).post('/api/accounts/CNOPE123/directory').send({ email: 'a@contoso.com' }),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'ACCOUNT_NOT_FOUND');
    }
  });
});
