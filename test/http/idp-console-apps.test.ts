import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createUser } from '../../src/core/idp/admin.js';
import { createIdpApp } from '../../src/http/idp/idp-app.js';
import { SqliteSessionStore } from '../../src/store/sqlite/session.store.js';
import { type Agent, ConsoleAgent, readFieldErrors, readInputValue } from '../_helpers/idp-console.js';
import { answerStaySignedIn, createTestIdp, createTestIdpContext, seedContoso, type TestIdp } from '../_helpers/idp-harness.js';

function readHidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
}

/** Signs B.Simon in through My Apps and returns the My Apps page. */
async function openMyApps(agent: Agent, idp: TestIdp) {
  const start = await agent.get('/myapps');
  const tx = readHidden(start.text, 'tx');
  await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
  await answerStaySignedIn(
    agent,
    await agent.post('/login/password').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, passwd: idp.user.password }),
  );
  return agent.get('/myapps');
}

describe('mock Entra console: enterprise applications, properties, users and groups', () => {
  let idp: TestIdp;
  let base: string;
  before(async () => {
    idp = await createTestIdp();
    base = `/admin/${idp.tenantId}`;
  });
  after(() => idp.close());

  test('the home page picks a tenant; the list shows its apps', async () => {
    const home = await request(idp.app).get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, new RegExp(`href="/admin/${idp.tenantId}/enterprise-apps"`));
    const c = new ConsoleAgent(idp.app);
    const list = await c.open(`${base}/enterprise-apps`);
    assert.match(list.text, new RegExp(`<tr data-app-id="${idp.appId}">`));
    await c.open('/admin/contoso.com', 303);
    await c.open('/admin/nobody.example/enterprise-apps', 404);
  });

  test('gallery search: "mime" finds the Mimecast template, other words find nothing', async () => {
    const c = new ConsoleAgent(idp.app);
    const found = await c.open(`${base}/enterprise-apps/gallery?search=mime`);
    assert.match(found.text, /data-template="mimecast"/);
    assert.equal(readInputValue(found.text, 'gallery-search'), 'mime');
    const none = await c.open(`${base}/enterprise-apps/gallery?search=salesforce`);
    assert.doesNotMatch(none.text, /data-template=/);
    assert.match(none.text, /id="no-results"/);
    await c.open(`${base}/enterprise-apps/gallery/salesforce`, 404);
  });

  test('adding from the gallery: refused without the CSRF token, then created with the default name', async () => {
    const anonymous = await request(idp.app)
      .post(`${base}/enterprise-apps`)
      .type('form')
      .send({ template: 'mimecast', displayName: 'Mimecast' });
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.text, /data-code="CSRF_TOKEN_INVALID"/);

    const c = new ConsoleAgent(idp.app);
    const pane = await c.open(`${base}/enterprise-apps/gallery/mimecast`);
    assert.equal(readInputValue(pane.text, 'displayName'), 'Mimecast');
    const forged = await c.agent
      .post(`${base}/enterprise-apps`)
      .type('form')
      .send({ _csrf: 'not-the-token', template: 'mimecast', displayName: 'Mimecast' });
    assert.equal(forged.status, 403);

    const empty = await c.submit(`${base}/enterprise-apps`, { template: 'mimecast', displayName: '  ' });
    assert.equal(empty.status, 400);
    assert.deepEqual(readFieldErrors(empty.text), [{ field: 'displayName', code: 'required' }]);

    const created = await c.submit(`${base}/enterprise-apps`, { template: 'mimecast', displayName: 'Mimecast' });
    assert.equal(created.status, 303);
    const appId = /\/apps\/([0-9a-f-]{36})$/.exec(created.headers.location ?? '')?.[1];
    assert.ok(appId);
    const overview = await c.open(created.headers.location ?? '');
    assert.match(overview.text, new RegExp(`data-field="application-id">${appId}<`));
    const apps = await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps`);
    assert.equal(apps.body.length, 2);
    assert.deepEqual(apps.body[1].identifiers, []);
    const saml = await c.open(`${base}/apps/${appId}/sso`);
    assert.match(saml.text, /data-method="saml"/);
  });

  test('Properties: Visible to users? hides the My Apps tile; a refused save keeps what was chosen', async () => {
    const c = new ConsoleAgent(idp.app);
    const path = `${base}/apps/${idp.appId}/properties`;
    const page = await c.open(path);
    assert.match(readInputValue(page.text, 'userAccessUrl') ?? '', new RegExp(`/myapps/signin/${idp.appId}\\?tenantId=${idp.tenantId}$`));
    assert.match(page.text, /name="visibleToUsers" value="yes" checked/);

    const refused = await c.submit(path, { displayName: '', assignmentRequired: 'no', visibleToUsers: 'no' });
    assert.equal(refused.status, 400);
    assert.deepEqual(readFieldErrors(refused.text), [{ field: 'displayName', code: 'required' }]);
    assert.match(refused.text, /name="visibleToUsers" value="no" checked/);
    assert.match(refused.text, /name="assignmentRequired" value="no" checked/);

    const user = request.agent(idp.app);
    assert.match((await openMyApps(user, idp)).text, new RegExp(`data-app-id="${idp.appId}"`));
    const saved = await c.submit(path, { displayName: 'Mimecast EU', assignmentRequired: 'yes', visibleToUsers: 'no' });
    assert.equal(saved.status, 303);
    const app = (await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps/${idp.appId}`)).body;
    assert.equal(app.displayName, 'Mimecast EU');
    assert.equal(app.visibleToUsers, false);
    assert.doesNotMatch((await user.get('/myapps')).text, new RegExp(`data-app-id="${idp.appId}"`));

    const launch = await request(idp.app).get(`/myapps/signin/${idp.appId}?tenantId=${idp.tenantId}`);
    assert.equal(launch.status, 302);
    assert.equal(launch.headers.location, `/apps/${idp.appId}/test`);
    await c.submit(path, { displayName: 'Mimecast', assignmentRequired: 'yes', visibleToUsers: 'yes' });
    assert.match((await user.get('/myapps')).text, new RegExp(`data-app-id="${idp.appId}"`));
  });

  test('Properties: "Enabled for users to sign-in?" No stops sign-in with AADSTS7000112 and removes the My Apps tile', async () => {
    const c = new ConsoleAgent(idp.app);
    const path = `${base}/apps/${idp.appId}/properties`;
    assert.match((await c.open(path)).text, /name="enabledForSignIn" value="yes" checked/);
    const user = request.agent(idp.app);
    assert.match((await openMyApps(user, idp)).text, new RegExp(`data-app-id="${idp.appId}"`));
    try {
      const saved = await c.submit(path, {
        displayName: 'Mimecast',
        enabledForSignIn: 'no',
        assignmentRequired: 'yes',
        visibleToUsers: 'yes',
      });
      assert.equal(saved.status, 303);
      assert.match((await c.open(path)).text, /name="enabledForSignIn" value="no" checked/);
      assert.equal((await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps/${idp.appId}`)).body.enabledForSignIn, false);
      assert.doesNotMatch((await user.get('/myapps')).text, new RegExp(`data-app-id="${idp.appId}"`));
      // The signed-in user launching the app directly reaches Entra's error page.
      const launch = await user.get(`/myapps/signin/${idp.appId}?tenantId=${idp.tenantId}`).redirects(5);
      assert.match(launch.text, /AADSTS7000112/);
      // A save without the radio (a script) leaves the switch as it was.
      await c.submit(path, { displayName: 'Mimecast', assignmentRequired: 'yes', visibleToUsers: 'yes' });
      assert.equal((await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps/${idp.appId}`)).body.enabledForSignIn, false);
    } finally {
      await c.submit(path, { displayName: 'Mimecast', enabledForSignIn: 'yes', assignmentRequired: 'yes', visibleToUsers: 'yes' });
    }
    assert.match((await user.get('/myapps')).text, new RegExp(`data-app-id="${idp.appId}"`));
  });

  test('Test › "Sign in as someone else" asks for credentials once, even though this browser is signed in', async () => {
    const c = new ConsoleAgent(idp.app);
    assert.match((await openMyApps(c.agent, idp)).text, new RegExp(`data-app-id="${idp.appId}"`), 'signed in as B.Simon');
    const testPath = `${base}/apps/${idp.appId}/sso/saml/test`;
    await c.open(testPath);
    // As the current user the existing session answers at once.
    const current = await c.submit(testPath, { as: 'current' });
    const answered = await c.agent.get(String(current.headers.location)).redirects(5);
    assert.match(answered.text, /name="hiddenform"/);
    // As someone else the sign-in page comes first, once.
    const other = await c.submit(testPath, { as: 'someone-else' });
    const asked = await c.agent.get(String(other.headers.location)).redirects(5);
    assert.match(asked.text, /name="loginfmt"/);
    assert.doesNotMatch(asked.text, /name="hiddenform"/);
    const again = await c.agent.get(String(current.headers.location)).redirects(5);
    assert.match(again.text, /name="hiddenform"/, 'only the next sign-in was forced');
  });

  test('Users and groups: Add Assignment with Default Access, nothing selected refused, then Remove', async () => {
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Alex.Wilber@contoso.com',
      displayName: 'Alex Wilber',
      password: 'Test-only-Passw0rd!',
    });
    const c = new ConsoleAgent(idp.app);
    const users = `${base}/apps/${idp.appId}/users`;
    const add = await c.open(`${users}/add`);
    assert.match(add.text, /<option value="default" selected>Default Access<\/option>/);
    const picker = await c.open(`${users}/add/select`);
    assert.match(picker.text, /name="upn" value="Alex.Wilber@contoso.com"/);
    assert.doesNotMatch(picker.text, /name="upn" value="B.Simon@contoso.com"/, 'assigned users are not offered again');

    const none = await c.submit(users, { role: 'default' });
    assert.equal(none.status, 400);
    assert.deepEqual(readFieldErrors(none.text), [{ field: 'users', code: 'none-selected' }]);

    const assigned = await c.submit(users, { upn: 'Alex.Wilber@contoso.com', role: 'default' });
    assert.equal(assigned.status, 303);
    const list = await c.open(assigned.headers.location ?? '');
    assert.match(list.text, /data-notice="assigned"/);
    assert.match(list.text, /<tr data-upn="Alex.Wilber@contoso.com">/);

    const removed = await c.submit(`${users}/remove`, { upn: 'Alex.Wilber@contoso.com' });
    assert.equal(removed.status, 303);
    assert.doesNotMatch((await c.open(users)).text, /<tr data-upn="Alex.Wilber@contoso.com">/);
    const nothing = await c.submit(`${users}/remove`, {});
    assert.equal(nothing.status, 400);
    assert.deepEqual(readFieldErrors(nothing.text), [{ field: 'users', code: 'none-selected' }]);
  });

  test('a console page opened before signing in (to test) still saves afterwards', async () => {
    const c = new ConsoleAgent(idp.app);
    const path = `${base}/apps/${idp.appId}/properties`;
    await c.open(path);
    assert.match((await openMyApps(c.agent, idp)).text, /id="sign-out"/);
    const saved = await c.submit(path, { displayName: 'Mimecast', assignmentRequired: 'yes', visibleToUsers: 'yes' });
    assert.equal(saved.status, 303);
  });

  test('hostile forms get 4xx, never 5xx', async () => {
    const c = new ConsoleAgent(idp.app);
    await c.open(`${base}/apps/${idp.appId}/properties`);
    const many = await c.submit(`${base}/apps/${idp.appId}/properties`, { displayName: Array.from({ length: 600 }, () => 'x') });
    assert.equal(many.status, 413);
    const json = await c.agent.post(`${base}/apps/${idp.appId}/properties`).send({ displayName: 'x' });
    assert.equal(json.status, 403);
    const unknownUser = await c.submit(`${base}/apps/${idp.appId}/users`, { upn: 'nobody@contoso.com' });
    assert.equal(unknownUser.status, 400);
    assert.deepEqual(readFieldErrors(unknownUser.text), [{ field: 'users', code: 'unknown-user' }]);
    const unknownCert = await c.submit(`${base}/apps/${idp.appId}/sso/saml/certificates/nope/activate`, {});
    assert.equal(unknownCert.status, 404);
  });
});

describe('mock Entra console beyond loopback', () => {
  test('needs the admin token, once per browser session', async () => {
    const base = createTestIdpContext();
    try {
      const seeded = await seedContoso(base.ctx);
      const app = createIdpApp({
        ctx: base.ctx,
        sessionStore: new SqliteSessionStore(base.db, { clock: base.clock }),
        sessionSecret: 'test-only-idp-session-secret',
        requireAdminToken: true,
        adminToken: 'test-only-admin-token',
      });
      const path = `/admin/${seeded.tenantId}/enterprise-apps`;
      const anonymous = await request(app).get(path);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.text, /data-code="ADMIN_TOKEN_REQUIRED"/);
      const c = new ConsoleAgent(app);
      const withToken = await c.agent.get(`${path}?token=test-only-admin-token`);
      assert.equal(withToken.status, 303);
      assert.equal(withToken.headers.location, path);
      await c.open(path);
    } finally {
      await base.close();
    }
  });
});
