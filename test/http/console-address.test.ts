/**
 * An Internal Directory address in the Administration Console: edit (Global Name, Force Change at
 * Login, roles) and delete behind a confirm page, through the core, every POST with the form token,
 * bad input beside its field, never a 5xx.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const CODE = 'CUK12A34';
const DOMAIN_PAGE = `/accounts/${CODE}/internal-directories/contoso.com`;
const ADDRESS = `${DOMAIN_PAGE}/addresses/${encodeURIComponent('B.Simon@contoso.com')}`;
const DELETE = `${ADDRESS}/delete`;

function readCsrf(html: string): string {
  const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)?.[1];
  assert.ok(token, 'the page carries the form token');
  return token;
}

function readFieldErrorCode(html: string, field: string): string | null {
  return new RegExp(`<div id="${field}-error"[\\s\\S]*?<p class="error-code">([A-Z_0-9]+)</p>`).exec(html)?.[1] ?? null;
}

function readTickedRoles(html: string): string[] {
  return [...html.matchAll(/<input type="checkbox" id="role-\d+" name="roles" value="([^"]+)" checked>/g)].map((m) => m[1] as string);
}

describe('Administration Console: edit and delete an address', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: CODE,
      domains: ['contoso.com', 'fabrikam.com'],
      users: [
        { email: 'B.Simon@contoso.com', globalName: 'B. Simon', roles: ['Full Administrator', 'Help Desk'] },
        { email: 'alex@fabrikam.com' },
      ],
    });
  });
  afterEach(() => sp.close());

  async function openPage(path: string) {
    const agent = request.agent(sp.app);
    const page = await agent.get(path);
    assert.equal(page.status, 200, path);
    return { agent, token: readCsrf(page.text), page };
  }

  it("links each address to its edit and delete pages from the domain's list", async () => {
    const page = await request(sp.app).get(DOMAIN_PAGE);
    assert.ok(page.text.includes(`href="${ADDRESS}" aria-label="Edit B.Simon@contoso.com"`));
    assert.ok(page.text.includes(`href="${DELETE}" aria-label="Delete B.Simon@contoso.com"`));
  });

  it('edits Global Name, Force Change at Login and roles; a role outside the list the address holds is kept', async () => {
    const { agent, token, page } = await openPage(ADDRESS);
    assert.deepEqual(readTickedRoles(page.text), ['Full Administrator', 'Help Desk']);
    const res = await agent
      .post(ADDRESS)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&globalName=Britta+Simon&forceChangeAtLogin=on&roles=Super+Administrator&roles=Help+Desk`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${DOMAIN_PAGE}?updated=B.Simon%40contoso.com`);
    const user = await sp.stores.directory.find(CODE, 'b.simon@contoso.com');
    assert.equal(user?.globalName, 'Britta Simon');
    assert.equal(user?.forceChangeAtLogin, true);
    assert.deepEqual(user?.roles, ['Super Administrator', 'Help Desk']);
    assert.match((await agent.get(res.headers.location as string)).text, /role="status">The address B\.Simon@contoso\.com was saved/);

    // Unticking every role is a change too: the address then lands on the Personal Portal.
    await agent.post(ADDRESS).type('form').send({ _csrf: token, globalName: 'Britta Simon' });
    assert.deepEqual((await sp.stores.directory.find(CODE, 'b.simon@contoso.com'))?.roles, []);
  });

  it('shows bad input beside its field with what was typed kept, and saves nothing', async () => {
    const { agent, token } = await openPage(ADDRESS);
    const long = 'x'.repeat(201);
    const res = await agent
      .post(ADDRESS)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&globalName=${long}&roles=Emperor&roles=Basic+Administrator`);
    assert.equal(res.status, 400);
    assert.equal(readFieldErrorCode(res.text, 'globalName'), 'VALIDATION_FAILED');
    assert.equal(readFieldErrorCode(res.text, 'roles'), 'VALIDATION_FAILED');
    assert.ok(res.text.includes(`value="${long}"`));
    assert.deepEqual(readTickedRoles(res.text), ['Basic Administrator']);
    const user = await sp.stores.directory.find(CODE, 'b.simon@contoso.com');
    assert.equal(user?.globalName, 'B. Simon');
    assert.deepEqual(user?.roles, ['Full Administrator', 'Help Desk']);
  });

  it('deletes only after the confirm page, with the form token', async () => {
    const { agent, token, page } = await openPage(DELETE);
    assert.match(page.text, /<form method="post" action="[^"]+\/delete"/);
    assert.ok(page.text.includes(`href="${DOMAIN_PAGE}">Cancel</a>`));
    const res = await agent.post(DELETE).type('form').send({ _csrf: token });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, DOMAIN_PAGE);
    assert.equal(await sp.stores.directory.find(CODE, 'b.simon@contoso.com'), null);
    const after = await agent.get(DOMAIN_PAGE);
    assert.match(after.text, /data-notice="removed">The address B\.Simon@contoso\.com was deleted/);
    // The notice is said once.
    assert.equal((await agent.get(DOMAIN_PAGE)).text.includes('data-notice="removed"'), false);
    // Deleting again, or editing what is gone: the 404 page, not a 5xx.
    assert.equal((await agent.post(DELETE).type('form').send({ _csrf: token })).status, 404);
    assert.equal((await agent.get(ADDRESS)).status, 404);
  });

  it('refuses edits and deletes without the form token, and the delete confirm never deletes on GET', async () => {
    assert.equal((await request(sp.app).post(ADDRESS).type('form').send({ globalName: 'Forged' })).status, 403);
    assert.equal((await request(sp.app).post(DELETE).type('form').send({})).status, 403);
    assert.equal((await request(sp.app).get(DELETE)).status, 200);
    const user = await sp.stores.directory.find(CODE, 'b.simon@contoso.com');
    assert.equal(user?.globalName, 'B. Simon');
  });

  it('answers 404 for an address of another domain, an unknown address, or an unknown account', async () => {
    for (const path of [
      `${DOMAIN_PAGE}/addresses/alex%40fabrikam.com`,
      `${DOMAIN_PAGE}/addresses/nobody%40contoso.com`,
      `/accounts/CNOPE123/internal-directories/contoso.com/addresses/x%40contoso.com/delete`,
      `/accounts/${CODE}/internal-directories/tailspin.de/addresses/x%40tailspin.de`,
    ]) {
      const res = await request(sp.app).get(path);
      assert.equal(res.status, 404, path);
    }
    const { agent, token } = await openPage(ADDRESS);
    const res = await agent.post(`${DOMAIN_PAGE}/addresses/alex%40fabrikam.com/delete`).type('form').send({ _csrf: token });
    assert.equal(res.status, 404);
    assert.ok(await sp.stores.directory.find(CODE, 'alex@fabrikam.com'));
  });
});
