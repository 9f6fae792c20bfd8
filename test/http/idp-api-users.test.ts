/**
 * The mock Entra's user principal names: the JSON API refuses exactly what the console's "New user"
 * refuses (one rule, readUpnLocalPartProblem), and sign-in and assignment match UPNs with A–Z folded
 * only, so a look-alike never reaches another user's account.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { ConsoleAgent, readFieldErrors } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';

const KELVIN = '\u212A';
const PASSWORD = 'Test-only-Passw0rd!';

/** User names (before the @) that Entra's console refuses. */
const REFUSED_LOCAL_PARTS: readonly string[] = [
  `${KELVIN}ate`,
  'a b',
  '\u017Fam',
  'adm\u0131n',
  'jürgen',
  'kate+news',
  'kate"',
  '<kate>',
  '.kate',
  'kate.',
  'a'.repeat(65),
];

function readHidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
}

describe('mock Entra: user principal names', () => {
  let idp: TestIdp;
  const users = () => `/api/tenants/${idp.tenantId}/users`;

  before(async () => {
    idp = await createTestIdp();
    await request(idp.app)
      .post(users())
      .send({ userPrincipalName: 'kate@contoso.com', displayName: 'Kate', password: PASSWORD })
      .expect(201);
  });
  after(() => idp.close());

  test('a client cannot ask for the cheap hash kept for the printed seed password: passwordIsPublic is an unknown field', async () => {
    const res = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: 'cheap@contoso.com', displayName: 'Cheap', password: PASSWORD, passwordIsPublic: true });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.equal(await idp.ctx.stores.users.findByUpn(idp.tenantId, 'cheap@contoso.com'), null);
  });

  test('the API refuses what the console refuses, with IDP_UPN_INVALID', async () => {
    for (const local of REFUSED_LOCAL_PARTS) {
      const res = await request(idp.app)
        .post(users())
        .send({ userPrincipalName: `${local}@contoso.com`, displayName: 'X', password: PASSWORD });
      assert.equal(res.status, 400, local);
      assert.equal(res.body.error, 'IDP_UPN_INVALID', local);
    }
    for (const upn of ['kate', 'kate@', '@contoso.com', 'kate@contoso.com@contoso.com', 'kate@contoso', `kate@contoso.c${KELVIN}m`]) {
      const res = await request(idp.app).post(users()).send({ userPrincipalName: upn, displayName: 'X', password: PASSWORD });
      assert.equal(res.status, 400, upn);
      assert.equal(res.body.error, 'IDP_UPN_INVALID', upn);
    }
    assert.equal((await request(idp.app).get(users())).body.length, 2, 'nothing was created');
  });

  test('the console refuses the same user names beside the field', async () => {
    const c = new ConsoleAgent(idp.app);
    const path = `/admin/${idp.tenantId}/users/new`;
    await c.open(path);
    for (const local of REFUSED_LOCAL_PARTS) {
      const form = {
        upnLocal: local,
        upnDomain: 'contoso.com',
        displayName: 'X',
        autoPassword: 'yes',
        accountEnabled: 'yes',
        authMethod: 'password',
        step: 'review',
      };
      const res = await c.submit(path, form);
      assert.equal(res.status, 400, local);
      const code = local.length > 64 ? 'too-long' : 'invalid-upn';
      assert.deepEqual(readFieldErrors(res.text), [{ field: 'upnLocal', code }], local);
    }
  });

  test("the API accepts Entra's punctuation, and other domains stay IDP_UPN_DOMAIN_NOT_VERIFIED", async () => {
    const ok = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: "Kate.O'Neil_2#^~!-x@Contoso.com", displayName: 'Kate', password: PASSWORD });
    assert.equal(ok.status, 201);
    const foreign = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: 'kate@fabrikam.com', displayName: 'Kate', password: PASSWORD });
    assert.equal(foreign.status, 422);
    assert.equal(foreign.body.error, 'IDP_UPN_DOMAIN_NOT_VERIFIED');
    const huge = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: `${'a'.repeat(300)}@contoso.com`, displayName: 'X', password: PASSWORD });
    assert.equal(huge.status, 400);
    assert.equal(huge.body.error, 'VALIDATION_FAILED');
  });

  test('a look-alike UPN is nobody: lookups, assignment and deletion find no user', async () => {
    const lookAlike = `${KELVIN}ate@contoso.com`;
    assert.equal(await idp.ctx.stores.users.findByUpn(idp.tenantId, lookAlike), null);
    assert.equal(await idp.ctx.stores.users.findByUpnAnyTenant(lookAlike), null);
    assert.equal(await idp.ctx.stores.users.verifyPassword(idp.tenantId, lookAlike, PASSWORD), null);
    assert.equal((await idp.ctx.stores.users.findByUpn(idp.tenantId, 'KATE@CONTOSO.COM'))?.userPrincipalName, 'kate@contoso.com');
    const assign = await request(idp.app)
      .post(`/api/tenants/${idp.tenantId}/apps/${idp.appId}/assignments`)
      .send({ userPrincipalName: lookAlike });
    assert.equal(assign.status, 404);
    assert.equal(assign.body.error, 'IDP_USER_NOT_FOUND');
    const removal = await request(idp.app).delete(`${users()}/${encodeURIComponent(lookAlike)}`);
    assert.equal(removal.status, 404);
    assert.equal(removal.body.error, 'IDP_USER_NOT_FOUND');
  });

  test('sign-in: loginfmt with the Kelvin sign is an unknown user name; the ASCII name in any case asks for the password', async () => {
    const browser = request.agent(idp.app);
    const tx = readHidden((await browser.get('/myapps')).text, 'tx');
    const unknown = await browser
      .post('/login')
      .type('form')
      .send({ tx, loginfmt: `${KELVIN}ate@contoso.com` });
    assert.match(unknown.text, /data-error="username"/);
    assert.doesNotMatch(unknown.text, /name="passwd"/);
    const wrongPassword = await browser
      .post('/login/password')
      .type('form')
      .send({ tx, loginfmt: `${KELVIN}ate@contoso.com`, passwd: PASSWORD });
    assert.match(wrongPassword.text, /data-error="password"/);
    const known = await browser.post('/login').type('form').send({ tx, loginfmt: 'KATE@contoso.COM' });
    assert.match(known.text, /name="passwd"/);
  });

  test('POST users: mail is null unless given, and kept when given', async () => {
    const bare = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: 'no.mailbox@contoso.com', displayName: 'N', password: PASSWORD })
      .expect(201);
    assert.equal(bare.body.mail, null);
    const withMail = await request(idp.app)
      .post(users())
      .send({ userPrincipalName: 'mailbox@contoso.com', displayName: 'M', password: PASSWORD, mail: 'mailbox@contoso.com' })
      .expect(201);
    assert.equal(withMail.body.mail, 'mailbox@contoso.com');
  });

  test('POST users: a mail the console would refuse is IDP_MAIL_INVALID, and no user is created', async () => {
    for (const mail of ['not an address', 'no-at-sign', 'two@@contoso.com', 'kate@localhost', `${'a'.repeat(65)}@contoso.com`]) {
      const upn = 'refused.mail@contoso.com';
      const refused = await request(idp.app)
        .post(users())
        .send({ userPrincipalName: upn, displayName: 'R', password: PASSWORD, mail })
        .expect(400);
      assert.equal(refused.body.error, 'IDP_MAIL_INVALID', mail);
      const listed = await request(idp.app).get(users()).expect(200);
      assert.equal(JSON.stringify(listed.body).includes(upn), false, mail);
    }
  });
});
