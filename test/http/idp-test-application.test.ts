/**
 * "Test this application" runs as Entra's Test does: SP-initiated through the Sign on URL when the app
 * has one, IdP-initiated otherwise; /apps/<id>/idp-initiated is IdP-initiated whatever the Sign on URL.
 * The console's Test pane and the start banner say which one runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { describeTestLines } from '../../src/cli/start-guide.js';
import { ConsoleAgent } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';

const SIGN_ON_URL = 'http://sp.test/sso/CUK12A34';

describe('mock Entra: "Test this application", SP- or IdP-initiated', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;
  let api: string;
  let pane: string;

  before(async () => {
    idp = await createTestIdp();
    c = new ConsoleAgent(idp.app);
    api = `/api/tenants/${idp.tenantId}/apps/${idp.appId}`;
    pane = `/admin/${idp.tenantId}/apps/${idp.appId}/sso/saml/test`;
  });
  after(() => idp.close());

  test('without a Sign on URL: both URLs sign in IdP-initiated, and the pane says so', async () => {
    for (const path of ['test', 'idp-initiated']) {
      const start = await request(idp.app).get(`/apps/${idp.appId}/${path}`);
      assert.equal(start.status, 200, path);
      assert.match(start.text, /name="loginfmt"/, path);
    }
    const page = await c.open(pane);
    assert.match(page.text, /id="test-mode" data-mode="idp"/);
  });

  test('with a Sign on URL: /test goes there (SP-initiated), /idp-initiated still signs in here, and the pane names the URL', async () => {
    await request(idp.app).patch(api).send({ signOnUrl: SIGN_ON_URL }).expect(200);
    const test = await request(idp.app).get(`/apps/${idp.appId}/test`);
    assert.equal(test.status, 302);
    assert.equal(test.headers.location, SIGN_ON_URL);
    const idpInitiated = await request(idp.app).get(`/apps/${idp.appId}/idp-initiated`);
    assert.equal(idpInitiated.status, 200);
    assert.match(idpInitiated.text, /name="loginfmt"/);
    const page = await c.open(pane);
    assert.match(
      page.text,
      /id="test-mode" data-mode="sp">[^<]*<strong>SP-initiated<\/strong>, through the Sign on URL <code>http:\/\/sp.test\/sso\/CUK12A34<\/code>/,
    );
    const launched = await c.submit(pane, { as: 'current' });
    assert.equal(launched.headers.location, SIGN_ON_URL);
    await request(idp.app).patch(api).send({ signOnUrl: null }).expect(200);
  });

  test('an unknown app is a 404 on both URLs, never a 5xx', async () => {
    for (const path of ['test', 'idp-initiated']) {
      const res = await request(idp.app).get(`/apps/00000000-0000-4000-8000-000000000000/${path}`);
      assert.equal(res.status, 404, path);
    }
  });

  test('the start banner prints which one the test URL runs', () => {
    const sp = describeTestLines('http://idp.test', { appId: 'a1', testMode: 'sp', signOnUrl: SIGN_ON_URL });
    assert.equal(sp.length, 2);
    assert.match(sp[0] ?? '', /\/apps\/a1\/test .*SP-initiated.*http:\/\/sp\.test\/sso\/CUK12A34/);
    assert.match(sp[1] ?? '', /IdP-initiated: +open http:\/\/idp\.test\/apps\/a1\/idp-initiated$/);
    const idpLines = describeTestLines('http://idp.test', { appId: 'a1', testMode: 'idp', signOnUrl: null });
    assert.deepEqual(idpLines.length, 1);
    assert.match(idpLines[0] ?? '', /IdP-initiated: +open http:\/\/idp\.test\/apps\/a1\/test /);
  });
});
