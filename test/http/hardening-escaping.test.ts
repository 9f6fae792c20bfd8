import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildEntraIssuer } from '../../src/core/saml/constants.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse, TEST_OBJECT_ID, TEST_TENANT_ID, toBase64 } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);

/** Breaks out of a double- or single-quoted attribute, then opens a script and an event handler. */
const HOSTILE = `"'><script>alert(1)</script><img src=x onerror=alert(2)>`;
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';
const HOSTILE_ISSUER = `${buildEntraIssuer(TEST_TENANT_ID)}${HOSTILE}`;
const STATUS_REQUESTER = 'urn:oasis:names:tc:SAML:2.0:status:Requester';

/** An HTML page that shows hostile values must show them as text: no markup of theirs, no breakout. */
function assertInertHtml(res: request.Response, label: string, { mustShow = false } = {}): void {
  assert.match(res.headers['content-type'] ?? '', /text\/html/, label);
  const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
  assert.ok(nonce, `${label}: a script nonce`);
  assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/, label);
  // The page's own scripts (copy buttons) carry this response's nonce; any other <script is injected.
  const withoutOwnScripts = res.text
    .split(`<script nonce="${nonce}">`)
    .map((part, i) => (i === 0 || !part.includes('</script>') ? part : part.slice(part.indexOf('</script>') + '</script>'.length)))
    .join('');
  assert.equal(/<script/i.test(withoutOwnScripts), false, `${label}: a <script element`);
  assert.equal(/<img/i.test(res.text), false, `${label}: an <img element`);
  assert.equal(res.text.includes(`"'>`), false, `${label}: an attribute breakout`);
  assert.equal(res.text.includes('onerror=alert(2)>'), false, `${label}: a live event handler`);
  if (mustShow) assert.ok(res.text.includes(ESCAPED_SCRIPT), `${label}: the value is shown, escaped`);
}

/** A JSON answer carries the hostile text as data, with every < and > written as an escape. */
function assertInertJson(res: request.Response, label: string): void {
  assert.match(res.headers['content-type'] ?? '', /application\/json/, label);
  assert.equal(/<script|<img/i.test(res.text), false, `${label}: raw markup in JSON`);
  assert.ok(JSON.stringify(res.body).includes('<script>alert(1)</script>'), `${label}: the value survives as data`);
}

/** The trace id a failure page links to. */
function readTraceLink(html: string): string {
  const id = /href="\/traces\/([^"]+)"/.exec(html)?.[1];
  assert.ok(id, 'the page links to its trace');
  return decodeURIComponent(id);
}

async function assertTraceInert(sp: TestSp, traceId: string, label: string): Promise<void> {
  assertInertHtml(await request(sp.app).get(`/traces/${encodeURIComponent(traceId)}`), `${label} report`, { mustShow: true });
  assertInertHtml(await request(sp.app).get('/traces'), `${label} SSO log`);
  assertInertJson(await request(sp.app).get(`/api/traces/${encodeURIComponent(traceId)}`), `${label} JSON report`);
  const list = await request(sp.app).get('/api/traces');
  assert.equal(/<script|<img/i.test(list.text), false, `${label} JSON list`);
}

describe('hostile assertion content is escaped everywhere it is shown', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({
      code: 'CUK12A34',
      domains: ['contoso.com'],
      // A profile whose Issuer URL is hostile too, so that a hostile Issuer can still sign in.
      profile: { ...ENTRA_PROFILE, issuerUrl: HOSTILE_ISSUER },
      users: [{ email: 'alex@contoso.com', globalName: HOSTILE, roles: ['Full Administrator'] }],
    });
  });
  afterEach(() => sp.close());

  it('after a signed sign-in: landing page, report, SSO log, session and account pages', async () => {
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'alex@contoso.com',
      issuer: HOSTILE_ISSUER,
      user: {
        userPrincipalName: 'alex@contoso.com',
        mail: 'alex@contoso.com',
        objectId: TEST_OBJECT_ID,
        displayName: HOSTILE,
        givenName: HOSTILE,
      },
      extraClaims: [{ name: `http://schemas.example.org/claims/${HOSTILE}`, values: [HOSTILE, `second ${HOSTILE}`] }],
      authnContextClassRef: `urn:x:${HOSTILE}`,
      sessionIndex: `_s${HOSTILE}`,
    });
    const agent = request.agent(sp.app);
    const signIn = await agent
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: built.base64, RelayState: `/administration?x=${HOSTILE}` });
    assert.equal(signIn.status, 303, 'the signed hostile response signs in');
    assert.equal(/<script|<img/i.test(signIn.text), false, 'redirect body');
    assert.equal(/[<>" ]/.test(signIn.headers.location ?? ''), false, 'the Location is percent-encoded');

    const landing = await agent.get('/administration');
    assert.equal(landing.status, 200);
    assertInertHtml(landing, 'Administration Console', { mustShow: true });
    assertInertHtml(await agent.get('/portal'), 'Personal Portal', { mustShow: true });
    assertInertJson(await agent.get('/api/session'), 'session JSON');
    assertInertHtml(await request(sp.app).get('/accounts/CUK12A34'), 'account page', { mustShow: true });
    assertInertHtml(await request(sp.app).get('/'), 'home page');

    const traceId = /href="\/traces\/([^"]+)"/.exec(landing.text)?.[1];
    assert.ok(traceId);
    await assertTraceInert(sp, decodeURIComponent(traceId), 'signed');
  });

  it('after an unsigned failure: failure page, report and SSO log', async () => {
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: `${URLS.localAcsUrl}${HOSTILE}`,
      audience: `https://eu-api.mimecast.com/sso/${HOSTILE}`,
      email: 'alex@contoso.com',
      issuer: HOSTILE_ISSUER,
      nameId: { value: `${HOSTILE}@contoso.com`, format: `urn:${HOSTILE}` },
      status: { code: STATUS_REQUESTER, message: `AADSTS50011: ${HOSTILE}` },
      includeAssertion: true,
      extraClaims: [{ name: HOSTILE, values: [HOSTILE] }],
      signing: { key: '', cert: '', option: 'none', algorithm: 'sha256' },
    });
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: built.base64, RelayState: `javascript:${HOSTILE}` });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assertInertHtml(res, 'failure page');
    await assertTraceInert(sp, readTraceLink(res.text), 'unsigned');
  });

  for (const [label, samlResponse] of [
    [
      'CDATA and a comment',
      toBase64(
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"><![CDATA[${HOSTILE}]]><!--${HOSTILE}--></samlp:Response>`,
      ),
    ],
    ['markup that is not XML', toBase64(HOSTILE)],
    [
      'a DTD with a hostile entity',
      toBase64(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "${HOSTILE.replace(/"/g, '&quot;')}">]><r>&e;</r>`),
    ],
    ['raw text instead of base64', HOSTILE],
  ] as const) {
    it(`raw message: ${label}`, async () => {
      const res = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: samlResponse, RelayState: HOSTILE });
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assertInertHtml(res, `${label} failure page`);
      await assertTraceInert(sp, readTraceLink(res.text), label);
    });
  }

  it('echoes a hostile email and RelayState on the sign-in page as text', async () => {
    const res = await request(sp.app)
      .get('/login/saml')
      .query({ email: `${HOSTILE}@nowhere.example`, RelayState: `/portal${HOSTILE}` });
    assert.equal(res.status, 404);
    assertInertHtml(res, 'sign-in page');
    assert.ok(res.text.includes('value="&quot;&#39;&gt;&lt;script&gt;'), 'the email is kept, escaped, in its field');
  });
});
