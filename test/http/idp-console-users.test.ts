import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { isPasswordComplex } from '../../src/core/idp/directory.js';
import { ConsoleAgent, readDataField, readFieldErrors, readInputValue } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';

const NEW_USER = {
  upnLocal: 'Alex.Wilber',
  upnDomain: 'contoso.com',
  displayName: 'Alex Wilber',
  autoPassword: 'yes',
  accountEnabled: 'yes',
  authMethod: 'password',
};

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function readHidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
}

describe('mock Entra console: Users › New user', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;
  let path: string;

  before(async () => {
    idp = await createTestIdp();
    c = new ConsoleAgent(idp.app);
    path = `/admin/${idp.tenantId}/users/new`;
  });
  after(() => idp.close());

  test("the form offers the tenant's domains, auto-generates by default, and lists users", async () => {
    const list = await c.open(`/admin/${idp.tenantId}/users`);
    assert.match(list.text, /<tr data-upn="B.Simon@contoso.com">/);
    const form = await c.open(path);
    assert.match(form.text, /<option value="contoso.onmicrosoft.com">/);
    assert.match(form.text, /<option value="contoso.com" selected>/);
    assert.match(form.text, /id="autoPassword" name="autoPassword" value="yes" checked/);
    assert.match(form.text, /id="accountEnabled" name="accountEnabled" value="yes" checked/);
    assert.match(form.text, /<label for="password">/);
  });

  test('Review + create, Previous keeps everything, Create shows the generated password once', async () => {
    const review = await c.submit(path, { ...NEW_USER, step: 'review' });
    assert.equal(review.status, 200);
    assert.equal(readDataField(review.text, 'upn'), 'Alex.Wilber@contoso.com');
    assert.equal(readHidden(review.text, 'autoPassword'), 'yes');

    const back = await c.submit(path, { ...NEW_USER, step: 'edit' });
    assert.equal(readInputValue(back.text, 'upnLocal'), 'Alex.Wilber');
    assert.equal(readInputValue(back.text, 'displayName'), 'Alex Wilber');

    const created = await c.submit(path, { ...NEW_USER, step: 'create' });
    assert.equal(created.status, 201);
    const password = readInputValue(created.text, 'generatedPassword') ?? '';
    assert.equal(password.length, 16);
    const user = await idp.ctx.stores.users.verifyPassword(idp.tenantId, 'alex.wilber@contoso.com', password);
    assert.equal(user?.displayName, 'Alex Wilber');
    assert.equal(user?.accountEnabled, true);
    const list = await c.open(`/admin/${idp.tenantId}/users`);
    assert.match(list.text, /<tr data-upn="Alex.Wilber@contoso.com">/);
    assert.doesNotMatch(list.text, new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the password is shown once');
  });

  test('refusals sit beside their fields with what was typed kept', async () => {
    const bad = await c.submit(path, {
      upnLocal: '.alex',
      upnDomain: 'fabrikam.com',
      displayName: '',
      autoPassword: 'no',
      password: 'short',
      accountEnabled: 'yes',
      authMethod: 'telepathy',
      step: 'review',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(readFieldErrors(bad.text), [
      { field: 'upnLocal', code: 'invalid-upn' },
      { field: 'upnDomain', code: 'domain-not-verified' },
      { field: 'displayName', code: 'required' },
      { field: 'password', code: 'weak-password' },
      { field: 'authMethod', code: 'invalid-choice' },
    ]);
    assert.equal(readInputValue(bad.text, 'upnLocal'), '.alex');
    assert.doesNotMatch(bad.text, /id="autoPassword" name="autoPassword" value="yes" checked/);

    const taken = await c.submit(path, { ...NEW_USER, upnLocal: 'b.simon', step: 'create' });
    assert.equal(taken.status, 409);
    assert.deepEqual(readFieldErrors(taken.text), [{ field: 'upnLocal', code: 'user-exists' }]);
    assert.equal(readInputValue(taken.text, 'displayName'), 'Alex Wilber');
  });

  test('Email (Contact information): empty by default and then no mail; typed, it is stored; a bad one is refused beside the field', async () => {
    const form = await c.open(path);
    assert.equal(readInputValue(form.text, 'mail'), '');
    assert.equal(readInputValue((await c.submit(path, { ...NEW_USER, upnLocal: 'No.Mail', step: 'edit' })).text, 'mail'), '');
    await c.submit(path, { ...NEW_USER, upnLocal: 'No.Mail', step: 'create' });
    assert.equal((await idp.ctx.stores.users.findByUpn(idp.tenantId, 'no.mail@contoso.com'))?.mail, null);
    const bad = await c.submit(path, { ...NEW_USER, upnLocal: 'Bad.Mail', mail: 'not an address', step: 'review' });
    assert.deepEqual(readFieldErrors(bad.text), [{ field: 'mail', code: 'invalid-email' }]);
    const review = await c.submit(path, { ...NEW_USER, upnLocal: 'Has.Mail', mail: 'has.mail@contoso.com', step: 'review' });
    assert.equal(readDataField(review.text, 'mail'), 'has.mail@contoso.com');
    assert.equal(readHidden(review.text, 'mail'), 'has.mail@contoso.com');
    await c.submit(path, { ...NEW_USER, upnLocal: 'Has.Mail', mail: 'has.mail@contoso.com', step: 'create' });
    assert.equal((await idp.ctx.stores.users.findByUpn(idp.tenantId, 'has.mail@contoso.com'))?.mail, 'has.mail@contoso.com');
  });

  test('a typed password, Account enabled off: the user exists but cannot sign in', async () => {
    const created = await c.submit(path, {
      ...NEW_USER,
      upnLocal: 'Disabled.User',
      autoPassword: 'no',
      password: 'Typed-Passw0rd!',
      authMethod: 'multi-factor',
      step: 'create',
      accountEnabled: 'no',
    });
    assert.equal(created.status, 201);
    assert.equal(readInputValue(created.text, 'generatedPassword'), null, 'a typed password is not shown back');
    const user = await idp.ctx.stores.users.findByUpn(idp.tenantId, 'disabled.user@contoso.com');
    assert.equal(user?.accountEnabled, false);
    assert.equal(user?.authMethod, 'multi-factor');

    const browser = request.agent(idp.app);
    const start = await browser.get('/myapps');
    const tx = readHidden(start.text, 'tx');
    await browser.post('/login').type('form').send({ tx, loginfmt: 'Disabled.User@contoso.com' });
    const denied = await browser
      .post('/login/password')
      .type('form')
      .send({ tx, loginfmt: 'Disabled.User@contoso.com', passwd: 'Typed-Passw0rd!' });
    assert.match(denied.text, /data-error="account-disabled"/);
  });

  test('Auto-generate password: the value is in the field before Create, and Create uses exactly it, as a temporary password', async () => {
    const form = await c.open(path);
    const tag = /<input id="password"[^>]*>/.exec(form.text)?.[0] ?? '';
    assert.match(tag, /type="password"/);
    assert.match(tag, / readonly/);
    const shown = readInputValue(form.text, 'password') ?? '';
    assert.equal(isPasswordComplex(shown), true, 'the generated password meets the complexity rule');
    assert.match(tag, new RegExp(`data-generated="${escapeRegExp(shown)}"`));
    assert.match(form.text, /data-copy-target="password"/);
    assert.match(form.text, /data-toggles="password"/);
    assert.notEqual(readInputValue((await c.open(path)).text, 'password'), shown, 'a new one each time the form is drawn');

    const fields = { ...NEW_USER, upnLocal: 'Temp.User', password: shown };
    const review = await c.submit(path, { ...fields, step: 'review' });
    assert.equal(readHidden(review.text, 'password'), escapeHtml(shown));
    const back = await c.submit(path, { ...fields, step: 'edit' });
    assert.equal(readInputValue(back.text, 'password'), shown, 'Previous keeps the same password');
    const created = await c.submit(path, { ...fields, step: 'create' });
    assert.equal(created.status, 201);
    assert.equal(readInputValue(created.text, 'generatedPassword'), shown);
    assert.match(created.text, /data-field="temporary"/);
    const user = await idp.ctx.stores.users.verifyPassword(idp.tenantId, 'temp.user@contoso.com', shown);
    assert.equal(user?.passwordIsTemporary, true);
  });

  test('an auto-generated password that is missing or too weak is replaced; a typed one is not temporary', async () => {
    await c.open(path);
    const weak = await c.submit(path, { ...NEW_USER, upnLocal: 'Weak.Auto', password: 'x', step: 'create' });
    assert.equal(weak.status, 201);
    const used = readInputValue(weak.text, 'generatedPassword') ?? '';
    assert.notEqual(used, 'x');
    assert.equal(isPasswordComplex(used), true);
    assert.ok(await idp.ctx.stores.users.verifyPassword(idp.tenantId, 'weak.auto@contoso.com', used));
    await c.submit(path, { ...NEW_USER, upnLocal: 'Typed.User', autoPassword: 'no', password: 'Typed-Passw0rd!', step: 'create' });
    const typed = await idp.ctx.stores.users.findByUpn(idp.tenantId, 'typed.user@contoso.com');
    assert.equal(typed?.passwordIsTemporary, undefined);
  });

  test('the API can make a temporary password too (passwordIsTemporary), and refuses a non-boolean', async () => {
    const api = `/api/tenants/${idp.tenantId}/users`;
    const body = { userPrincipalName: 'Api.Temp@contoso.com', displayName: 'Api Temp', password: 'Test-only-Passw0rd!' };
    const made = await request(idp.app)
      .post(api)
      .send({ ...body, passwordIsTemporary: true });
    assert.equal(made.status, 201);
    assert.equal(made.body.passwordIsTemporary, true);
    const bad = await request(idp.app)
      .post(api)
      .send({ ...body, userPrincipalName: 'Api.Bad@contoso.com', passwordIsTemporary: 'yes' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    assert.equal(await idp.ctx.stores.users.findByUpn(idp.tenantId, 'api.bad@contoso.com'), null);
  });

  test('Create without the CSRF token is refused (403)', async () => {
    const res = await request(idp.app)
      .post(path)
      .type('form')
      .send({ ...NEW_USER, upnLocal: 'Mallory', step: 'create' });
    assert.equal(res.status, 403);
    assert.equal(await idp.ctx.stores.users.findByUpn(idp.tenantId, 'mallory@contoso.com'), null);
  });
});
