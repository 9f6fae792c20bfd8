/**
 * Mimecast's failure page and the report when the IdP refused the sign-in: one headline (the IdP's
 * status and its own words), then the setting that fixes it; the checks the refusal makes
 * meaningless are not applicable, never failed.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { STATUS } from '../../src/core/saml/constants.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const CODE = 'CUK12A34';
const URLS = buildAccountUrls({ code: CODE, region: 'eu' }, TEST_BASE_URL);

/** An Entra-shaped error response: no assertion, no Destination, the AADSTS text in StatusMessage. */
function refuse(sp: TestSp, status: { code: string; subCode?: string; message?: string }, inResponseTo: string | null = null): string {
  return buildSignedTestResponse({
    now: sp.clock.now(),
    acsUrl: URLS.localAcsUrl,
    audience: URLS.entraIdentifier,
    email: 'B.Simon@contoso.com',
    destination: null,
    inResponseTo,
    status,
  }).base64;
}

function readAttribute(html: string, selectorClass: string, name: string): string | null {
  const tag = new RegExp(`<[a-z0-9]+ class="${selectorClass}"[^>]*>`).exec(html)?.[0];
  return tag === undefined ? null : (new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? null);
}

describe('the failure page after an IdP refusal', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: CODE, domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'B.Simon@contoso.com' }] });
  });
  afterEach(() => sp.close());

  it("AADSTS75011: the IdP's status and words, then the profile's context switches with a link to them", async () => {
    const message = "AADSTS75011: Authentication method 'X509, MultiFactor' doesn't match.\nTrace ID: 1\nCorrelation ID: 2";
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: refuse(sp, { code: STATUS.requester, subCode: STATUS.requestDenied, message }) });
    assert.equal(res.status, 403);
    assert.equal(readAttribute(res.text, 'refusal-headline', 'data-status'), 'Requester');
    assert.equal(readAttribute(res.text, 'refusal-headline', 'data-sub-status'), 'RequestDenied');
    assert.equal(readAttribute(res.text, 'refusal-headline', 'data-aadsts'), '75011');
    assert.match(res.text, /<blockquote class="idp-message"><p>AADSTS75011: /);
    assert.match(res.text, /data-fix="authn-context" data-product="mimecast"/);
    assert.ok(res.text.includes(`href="/accounts/${CODE}/authentication-profiles"`));
    // One headline: not the status check's code and title.
    assert.equal(res.text.includes('SP_STATUS_NOT_SUCCESS'), false);
    assert.equal(res.text.includes('First failing check'), false);
    assert.equal(res.text.match(/data-headline=/g)?.length, 1);
  });

  for (const [aadsts, fix, product] of [
    ['50011', 'reply-url', 'entra'],
    ['700016', 'identifier', 'entra'],
    ['50105', 'user-assignment', 'entra'],
    ['9999999', 'idp-sign-in-logs', 'entra'],
  ] as const) {
    it(`AADSTS${aadsts}: the fix is ${fix}`, async () => {
      const res = await request(sp.app)
        .post('/login/saml')
        .type('form')
        .send({ SAMLResponse: refuse(sp, { code: STATUS.requester, message: `AADSTS${aadsts}: words` }) });
      assert.equal(res.status, 403);
      assert.match(res.text, new RegExp(`data-fix="${fix}" data-product="${product}"`));
    });
  }

  it('a refusal without a StatusMessage or AADSTS number still gets a headline and the generic fix', async () => {
    const res = await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: refuse(sp, { code: STATUS.responder }) });
    assert.equal(res.status, 403);
    assert.equal(readAttribute(res.text, 'refusal-headline', 'data-status'), 'Responder');
    assert.equal(readAttribute(res.text, 'refusal-headline', 'data-aadsts'), null);
    assert.match(res.text, /data-fix="idp-sign-in-logs"/);
  });

  it('the report of a refused SP-initiated sign-in: the same headline, only the status check failed, no "IdP-initiated: pass"', async () => {
    const start = await request(sp.app).get(`/sso/${CODE}`);
    assert.equal(start.status, 200);
    const pending = (await sp.stores.traces.list({ kind: 'authn-request' }))[0];
    const requestId = pending?.summary.responseId;
    assert.ok(requestId);
    const status = { code: STATUS.requester, subCode: STATUS.requestDenied, message: 'AADSTS75011: words' };
    await request(sp.app)
      .post('/login/saml')
      .type('form')
      .send({ SAMLResponse: refuse(sp, status, requestId) });
    const trace = (await sp.stores.traces.list({ kind: 'response' }))[0];
    assert.ok(trace);
    assert.equal(trace.summary.flow, 'sp-initiated');
    const page = await request(sp.app).get(`/traces/${trace.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /class="idp-refusal" data-fix="authn-context" data-aadsts="75011"/);
    const rows = [...page.text.matchAll(/<tr class="check-(\w+)" data-check="([a-z-]+)">/g)].map((m) => [m[2], m[1]]);
    assert.deepEqual(
      rows.filter(([, s]) => s === 'fail').map(([id]) => id),
      ['status'],
    );
    const byId = Object.fromEntries(rows);
    for (const id of ['in-response-to', 'idp-initiated', 'audience']) assert.equal(byId[id], 'skip', id);
  });
});
