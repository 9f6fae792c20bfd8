import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildStoredTrace, createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';

const HOSTILE = '<script>alert(1)</script>';

describe('SP console and landing pages', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: 'CUK12A34',
      name: 'Contoso',
      domains: ['contoso.com'],
      profile: ENTRA_PROFILE,
      users: [{ email: 'B.Simon@contoso.com', roles: ['Full Administrator'] }],
    });
    await sp.seedAccount({ code: 'CDE12345', region: 'de', domains: ['tailspin.de'] });
  });
  afterEach(() => sp.close());

  it('sends a signed-out browser from the landing pages to the sign-in page', async () => {
    for (const path of ['/administration', '/portal']) {
      const res = await request(sp.app).get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.location, '/login/saml');
    }
  });

  it('signs out with a 303 to the sign-in page', async () => {
    const res = await request(sp.app).post('/logout');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login/saml?signedOut=1');
  });

  it('lists accounts on the home page with their Identifier and links', async () => {
    const res = await request(sp.app).get('/');
    assert.equal(res.status, 200);
    assert.match(res.text, /https:\/\/eu-api\.mimecast\.com\/sso\/CUK12A34/);
    assert.match(res.text, /href="\/accounts\/CUK12A34"/);
    assert.match(res.text, /href="\/sso\/CUK12A34"/);
    assert.match(res.text, /href="\/traces\?account=CUK12A34"/);
    assert.match(res.text, /state-ready/);
    assert.match(res.text, /state-incomplete/);
  });

  it("shows an account's set-up values, and 404 for an unknown one", async () => {
    const res = await request(sp.app).get('/accounts/CUK12A34');
    assert.equal(res.status, 200);
    assert.match(res.text, /Identifier \(Entity ID\)/);
    assert.match(res.text, /http:\/\/sp\.test\/login\/saml/);
    assert.match(res.text, /B\.Simon@contoso\.com/);
    const missing = await request(sp.app).get('/accounts/CNOPE123');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /ACCOUNT_NOT_FOUND/);
  });

  it('renders a trace report with every check', async () => {
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-1', relayState: '/portal' }));
    const res = await request(sp.app).get('/traces/trace-1');
    assert.equal(res.status, 200);
    assert.match(res.text, /SP_AUDIENCE_MISMATCH/);
    assert.match(res.text, /SAML Core 2\.5\.1\.4/);
    assert.match(res.text, /<pre class="xml">/);
    assert.match(res.text, /PHNhbWxwOlJlc3BvbnNlLz4=/);
    assert.match(res.text, /\/portal/);
  });

  it('escapes a hostile NameID, XML and check values in the report', async () => {
    await sp.stores.traces.add(
      buildStoredTrace({
        id: 'trace-x',
        xml: `<samlp:Response><saml:NameID>${HOSTILE}</saml:NameID>${HOSTILE}</samlp:Response>`,
        relayState: HOSTILE,
        summary: { nameId: `${HOSTILE}@contoso.com`, flow: 'idp-initiated' },
        checks: [
          { id: 'user', title: 'User', status: 'fail', code: 'SP_USER_NOT_FOUND', received: HOSTILE, message: HOSTILE, specRef: 'x' },
        ],
      }),
    );
    const report = await request(sp.app).get('/traces/trace-x');
    assert.equal(report.status, 200);
    assert.equal(report.text.includes(HOSTILE), false);
    assert.equal(report.text.includes('<script>alert'), false);
    assert.match(report.text, /&lt;script&gt;/);
    const list = await request(sp.app).get('/traces');
    assert.equal(list.text.includes('<script>alert'), false);
  });

  it('answers TRACE_NOT_FOUND with a 404 page', async () => {
    const res = await request(sp.app).get('/traces/nope');
    assert.equal(res.status, 404);
    assert.match(res.text, /TRACE_NOT_FOUND/);
  });

  it('lists traces with account and outcome filters', async () => {
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-ok', outcome: 'success', checks: [], createdAt: '2027-03-01T08:00:00.000Z' }));
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-bad' }));
    await sp.stores.traces.add(buildStoredTrace({ id: 'trace-de', accountCode: 'CDE12345' }));
    const all = await request(sp.app).get('/traces');
    assert.equal(all.status, 200);
    for (const id of ['trace-ok', 'trace-bad', 'trace-de']) assert.ok(all.text.includes(`/traces/${id}`), id);
    assert.match(all.text, /<label for="account">Account<\/label>/);
    assert.match(all.text, /<label for="outcome">Outcome<\/label>/);

    const failures = await request(sp.app).get('/traces?account=CUK12A34&outcome=failure');
    assert.ok(failures.text.includes('/traces/trace-bad'));
    assert.equal(failures.text.includes('/traces/trace-ok'), false);
    assert.equal(failures.text.includes('/traces/trace-de'), false);

    const any = await request(sp.app).get('/traces?account=&outcome=');
    assert.equal(any.status, 200);
    const bad = await request(sp.app).get('/traces?outcome=maybe');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /VALIDATION_FAILED/);
  });
});
