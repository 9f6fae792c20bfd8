import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse, type TestResponseOverrides } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';
import { idp2 } from '../_helpers/test-keys.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);
const FAILURE_TEXT =
  "Sorry, we're having trouble logging you in. This is because we can't validate your identity. Please tell your organization's administrator that this is likely to be caused by a SAML issue.";

/** An IdP-initiated Entra response for `email`, as the mock signs it. */
function respondFor(sp: TestSp, email: string, overrides: Partial<TestResponseOverrides> = {}): string {
  return buildSignedTestResponse({ now: sp.clock.now(), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email, ...overrides })
    .base64;
}

/** The mm.sid cookie value from a response, if it set one. */
function readSessionCookie(res: request.Response): string | null {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const found = cookies.find((c) => c.startsWith('mm.sid='));
  return found ? (found.split(';')[0] ?? null) : null;
}

describe('SP ACS (POST /login/saml)', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({ requireAdminToken: true });
    await sp.seedAccount({
      code: 'CUK12A34',
      domains: ['contoso.com'],
      profile: ENTRA_PROFILE,
      users: [
        { email: 'B.Simon@contoso.com', globalName: 'B. Simon', roles: ['Full Administrator'] },
        { email: 'alex@contoso.com', globalName: 'Alex' },
      ],
    });
  });
  afterEach(() => sp.close());

  it('signs an administrator in, rotating the session id, and lands on the Administration Console', async () => {
    const agent = request.agent(sp.app);
    const before = readSessionCookie(await agent.get(`/traces?token=${TEST_ADMIN_TOKEN}`));
    assert.ok(before);

    const res = await agent
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'B.Simon@contoso.com') });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/administration');
    const after = readSessionCookie(res);
    assert.ok(after);
    assert.notEqual(after, before);
    assert.match(String(res.headers['set-cookie']), /HttpOnly/i);
    assert.match(String(res.headers['set-cookie']), /SameSite=Lax/i);

    const console = await agent.get('/administration');
    assert.equal(console.status, 200);
    assert.match(console.text, /Administration Console/);
    assert.match(console.text, /B\.Simon@contoso\.com/);
    assert.match(console.text, /href="\/traces\/[^"]+"/);

    const session = await agent.get('/api/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.accountCode, 'CUK12A34');
    assert.equal(session.body.isAdministrator, true);

    // The console authorisation survives the new session id.
    assert.equal((await agent.get('/traces')).status, 200);

    const csrf = /name="_csrf" value="([^"]+)"/.exec(console.text)?.[1];
    assert.ok(csrf);
    const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
    assert.equal(out.status, 303);
    assert.equal((await agent.get('/api/session')).status, 401);
    assert.equal((await agent.get('/administration')).status, 303);
  });

  it('lands a non-administrator on the Personal Portal and keeps the console closed to them', async () => {
    const agent = request.agent(sp.app);
    const res = await agent
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com') });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/portal');
    const portal = await agent.get('/portal');
    assert.equal(portal.status, 200);
    assert.match(portal.text, /Mimecast Personal Portal/);
    const console = await agent.get('/administration');
    assert.equal(console.status, 403);
    assert.match(console.text, /ADMIN_ROLE_REQUIRED/);
  });

  it('follows a safe RelayState', async () => {
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: respondFor(sp, 'alex@contoso.com'), RelayState: '/portal?tab=1' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/portal?tab=1');
  });

  it("shows Mimecast's failure page with the trace and the first failing check", async () => {
    const forged = respondFor(sp, 'B.Simon@contoso.com', {
      signing: { key: idp2.key, cert: idp2.cert, option: 'assertion', algorithm: 'sha256' },
    });
    const res = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: forged });
    assert.equal(res.status, 403);
    assert.ok(res.text.includes(FAILURE_TEXT.replace(/'/g, '&#39;')));
    assert.match(res.text, /SP_SIGNATURE_/);
    const traceId = /href="\/traces\/([^"]+)"/.exec(res.text)?.[1];
    assert.ok(traceId);
    const trace = await sp.stores.traces.get(decodeURIComponent(traceId));
    assert.equal(trace?.outcome, 'failure');
    assert.equal(readSessionCookie(res), null);
  });

  it('refuses a response nested 20,000 deep inside ds:SignedInfo with a 4xx and records the failure', async () => {
    const genuine = Buffer.from(respondFor(sp, 'B.Simon@contoso.com'), 'base64').toString('utf8');
    const hostile = genuine.replace(/<(?:ds:)?SignedInfo>/, (open) => `${open}${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`);
    assert.notEqual(hostile, genuine);
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: Buffer.from(hostile).toString('base64') });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.equal(readSessionCookie(res), null);

    const listed = await request(sp.app)
      .get('/api/traces')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
      .query({ outcome: 'failure' });
    assert.equal(listed.status, 200);
    const [summary] = listed.body.traces as Array<{ id: string }>;
    assert.ok(summary, 'a trace was recorded');
    const trace = await request(sp.app)
      .get(`/api/traces/${encodeURIComponent(summary.id)}`)
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    assert.equal(trace.status, 200);
    const payload = (trace.body.checks as Array<{ id: string; status: string; code?: string }>).find((c) => c.id === 'payload');
    assert.deepEqual({ status: payload?.status, code: payload?.code }, { status: 'fail', code: 'SP_PAYLOAD_TOO_DEEP' });
  });

  it('keeps the 4xx of a payload fault such as a missing SAMLResponse', async () => {
    const res = await request(sp.app).post('/login/saml').type('form').send({ RelayState: '/portal' });
    assert.equal(res.status, 400);
    assert.match(res.text, /SP_PAYLOAD_MISSING/);
  });
  it('a body the form parser refuses is answered with its code and still leaves one trace, of no account', async () => {
    const form = `SAMLResponse=${encodeURIComponent(respondFor(sp, 'B.Simon@contoso.com'))}`;
    const refused: { name: string; send: () => request.Test; status: number; code: string }[] = [
      {
        name: 'JSON instead of a form',
        send: () => request(sp.app).post('/login/saml').set('Content-Type', 'application/json').send('{"SAMLResponse":"x"}'),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'a form in UTF-16',
        send: () => request(sp.app).post('/login/saml').set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16').send(form),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'more than 20 fields',
        send: () =>
          request(sp.app)
            .post('/login/saml')
            .type('form')
            .send(Array.from({ length: 25 }, (_, n) => `f${n}=1`).join('&')),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      },
      {
        name: 'a gzip body that is not gzip',
        send: () => request(sp.app).post('/login/saml').type('form').set('Content-Encoding', 'gzip').send(form),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const { name, send, status, code } of refused) {
      const before = await sp.stores.traces.list({ limit: 500 });
      const res = await send().set('Accept', 'application/json');
      assert.equal(res.status, status, name);
      assert.equal(res.body.error, code, name);
      const added = (await sp.stores.traces.list({ limit: 500 })).filter((t) => !before.some((b) => b.id === t.id));
      assert.equal(added.length, 1, name);
      const [trace] = added;
      assert.equal(trace?.kind, 'response', name);
      assert.equal(trace?.accountCode, null, name);
      assert.equal(trace?.outcome, 'failure', name);
      assert.deepEqual(
        trace?.checks.map((c) => [c.id, c.status, c.code]),
        [['payload', 'fail', code]],
        name,
      );
    }
  });
});
