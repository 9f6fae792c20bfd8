import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const CODE = 'CUK12A34';
const DIRECTORIES = `/accounts/${CODE}/internal-directories`;
const NEW_DOMAIN = `${DIRECTORIES}/new-domain`;
const NEW_ADDRESS = `${DIRECTORIES}/contoso.com/new-address`;

function readCsrf(html: string): string {
  const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)?.[1];
  assert.ok(token, 'the page carries the form token');
  return token;
}

function readInput(html: string, id: string): string | null {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0];
  const value = tag === undefined ? undefined : /value="([^"]*)"/.exec(tag)?.[1];
  return value === undefined
    ? null
    : value
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
}

function readFieldErrorCode(html: string, field: string): string | null {
  return new RegExp(`<div id="${field}-error"[\\s\\S]*?<p class="error-code">([A-Z_0-9]+)</p>`).exec(html)?.[1] ?? null;
}

/** The role checkboxes that are ticked, by value. */
function readTickedRoles(html: string): string[] {
  return [...html.matchAll(/<input type="checkbox" id="role-\d+" name="roles" value="([^"]+)" checked>/g)].map((m) => m[1] as string);
}

describe('Administration Console: Internal Directories', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: CODE,
      domains: ['contoso.com'],
      users: [{ email: 'B.Simon@contoso.com', roles: ['Full Administrator'] }],
    });
    await sp.seedAccount({ code: 'CDE12345', region: 'de', domains: ['tailspin.de'] });
  });
  afterEach(() => sp.close());

  async function openPage(path: string) {
    const agent = request.agent(sp.app);
    const page = await agent.get(path);
    assert.equal(page.status, 200, path);
    return { agent, token: readCsrf(page.text), page };
  }

  it("lists the account's domains and a domain's addresses", async () => {
    const list = await request(sp.app).get(DIRECTORIES);
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(`href="${DIRECTORIES}/contoso.com"`));
    assert.ok(list.text.includes(`href="${NEW_DOMAIN}"`));
    const domain = await request(sp.app).get(`${DIRECTORIES}/contoso.com`);
    assert.equal(domain.status, 200);
    assert.match(domain.text, /<td>B\.Simon@contoso\.com<\/td>/);
    assert.ok(domain.text.includes(`href="${NEW_ADDRESS}"`));
    const other = await request(sp.app).get(`${DIRECTORIES}/tailspin.de`);
    assert.equal(other.status, 404);
  });

  it('adds a domain with New Domain', async () => {
    const { agent, token } = await openPage(NEW_DOMAIN);
    const res = await agent.post(NEW_DOMAIN).type('form').send({ _csrf: token, domain: ' Fabrikam.COM ' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${DIRECTORIES}/fabrikam.com?added=domain`);
    assert.deepEqual((await sp.stores.accounts.get(CODE))?.domains, ['contoso.com', 'fabrikam.com']);
    assert.match((await agent.get(res.headers.location as string)).text, /role="status">The domain fabrikam\.com was added/);
  });

  it('shows New Domain refusals beside the field, with what was typed kept', async () => {
    const { agent, token } = await openPage(NEW_DOMAIN);
    const invalid = await agent.post(NEW_DOMAIN).type('form').send({ _csrf: token, domain: 'not a <domain>' });
    assert.equal(invalid.status, 400);
    assert.equal(readFieldErrorCode(invalid.text, 'domain'), 'VALIDATION_FAILED');
    assert.equal(readInput(invalid.text, 'domain'), 'not a <domain>');
    const taken = await agent.post(NEW_DOMAIN).type('form').send({ _csrf: token, domain: 'tailspin.de' });
    assert.equal(taken.status, 409);
    assert.equal(readFieldErrorCode(taken.text, 'domain'), 'DOMAIN_IN_USE');
    assert.equal(readInput(taken.text, 'domain'), 'tailspin.de');
    assert.deepEqual((await sp.stores.accounts.get(CODE))?.domains, ['contoso.com']);
  });

  it('adds an address with New Address: roles, Force Change at Login and a password', async () => {
    const { agent, token } = await openPage(NEW_ADDRESS);
    const res = await agent
      .post(NEW_ADDRESS)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&email=alex%40contoso.com&globalName=Alex+Wilber&password=Pw-1234567&confirmPassword=Pw-1234567&forceChangeAtLogin=on&roles=Full+Administrator&roles=Basic+Administrator`,
      );
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${DIRECTORIES}/contoso.com?added=alex%40contoso.com`);
    const user = await sp.stores.directory.find(CODE, 'alex@contoso.com');
    assert.equal(user?.globalName, 'Alex Wilber');
    assert.equal(user?.forceChangeAtLogin, true);
    assert.deepEqual(user?.roles, ['Full Administrator', 'Basic Administrator']);
    assert.equal(await sp.stores.directory.verifyPassword(CODE, 'alex@contoso.com', 'Pw-1234567'), true);
    const page = await agent.get(res.headers.location as string);
    assert.match(page.text, /<tr class="just-added"><td>alex@contoso\.com<\/td>/);
  });

  it('refuses a Confirm Password that differs, beside the field, everything kept', async () => {
    const { agent, token } = await openPage(NEW_ADDRESS);
    const res = await agent
      .post(NEW_ADDRESS)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&email=alex%40contoso.com&globalName=Alex&password=one&confirmPassword=two&roles=Super+Administrator`,
      );
    assert.equal(res.status, 400);
    assert.equal(readFieldErrorCode(res.text, 'confirmPassword'), 'VALIDATION_FAILED');
    assert.equal(readFieldErrorCode(res.text, 'email'), null);
    assert.equal(readInput(res.text, 'email'), 'alex@contoso.com');
    assert.equal(readInput(res.text, 'globalName'), 'Alex');
    assert.deepEqual(readTickedRoles(res.text), ['Super Administrator']);
    assert.equal(await sp.stores.directory.find(CODE, 'alex@contoso.com'), null);
  });

  it('shows the directory rules beside Email Address: bad address, domain not in the account, address exists', async () => {
    const { agent, token } = await openPage(NEW_ADDRESS);
    const cases: [string, string, number][] = [
      ['not-an-address', 'VALIDATION_FAILED', 400],
      ['alex@fabrikam.com', 'DOMAIN_NOT_IN_ACCOUNT', 422],
      ['b.simon@CONTOSO.com', 'USER_EXISTS', 409],
    ];
    for (const [email, code, status] of cases) {
      const res = await agent
        .post(NEW_ADDRESS)
        .type('form')
        .send({ _csrf: token, email, globalName: 'Kept', password: '', confirmPassword: '' });
      assert.equal(res.status, status, email);
      assert.equal(readFieldErrorCode(res.text, 'email'), code, email);
      assert.equal(readInput(res.text, 'email'), email);
      assert.equal(readInput(res.text, 'globalName'), 'Kept');
    }
  });

  it('refuses a role that is not offered', async () => {
    const { agent, token } = await openPage(NEW_ADDRESS);
    const res = await agent.post(NEW_ADDRESS).type('form').send({ _csrf: token, email: 'alex@contoso.com', roles: 'Emperor' });
    assert.equal(res.status, 400);
    assert.equal(readFieldErrorCode(res.text, 'roles'), 'VALIDATION_FAILED');
  });

  it('refuses New Domain and New Address without the form token', async () => {
    for (const [path, body] of [
      [NEW_DOMAIN, { domain: 'fabrikam.com' }],
      [NEW_ADDRESS, { email: 'alex@contoso.com' }],
    ] as const) {
      const res = await request(sp.app).post(path).type('form').send(body);
      assert.equal(res.status, 403, path);
      assert.match(res.text, /CSRF_TOKEN_INVALID/);
    }
    assert.deepEqual((await sp.stores.accounts.get(CODE))?.domains, ['contoso.com']);
    assert.equal(await sp.stores.directory.find(CODE, 'alex@contoso.com'), null);
  });
});
