import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { checkCapturedResponse } from '../../src/core/sp/offline-check.js';
import { clipForDisplay, formatXmlForDisplay, MAX_DISPLAY_CHARS } from '../../src/http/render.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { buildStoredTrace, createTestSp, ENTRA_PROFILE, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';
import { idp1 } from '../_helpers/test-keys.js';

const CODE = 'CUK12A34';
const URLS = buildAccountUrls({ code: CODE, region: 'eu' }, TEST_BASE_URL);

/** Trace ids the list links to, in page order. */
function readListedIds(html: string): string[] {
  return [...html.matchAll(/<a href="\/traces\/([^"]+)" aria-label="[^"]+">Open<\/a>/g)].map((m) => decodeURIComponent(m[1] as string));
}

function readFieldErrorCode(html: string, field: string): string | null {
  return new RegExp(`<div id="${field}-error"[\\s\\S]*?<p class="error-code">([A-Z_0-9]+)</p>`).exec(html)?.[1] ?? null;
}

describe('Administration Console: SSO log and trace report', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: CODE, domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
    await sp.seedAccount({ code: 'CDE12345', region: 'de', domains: ['tailspin.de'] });
  });
  afterEach(() => sp.close());

  /** Signs alex in through the ACS and returns the trace it left. */
  async function signIn(): Promise<string> {
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'alex@contoso.com',
    });
    const res = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: built.base64, RelayState: '/portal' });
    assert.equal(res.status, 303);
    const [trace] = await sp.stores.traces.list({ limit: 1 });
    assert.ok(trace);
    return trace.id;
  }

  it('filters by account, outcome and a time window, newest first', async () => {
    const at = (id: string, createdAt: string, extra: Parameters<typeof buildStoredTrace>[0] = { id }) =>
      sp.stores.traces.add(buildStoredTrace({ ...extra, id, createdAt }));
    await at('early', '2027-03-01T07:00:00.000Z');
    await at('mid', '2027-03-01T08:30:00.000Z');
    await at('late', '2027-03-01T09:45:00.000Z');
    await at('late-ok', '2027-03-01T09:50:00.000Z', { id: 'late-ok', outcome: 'success', checks: [] });
    await at('other', '2027-03-01T09:55:00.000Z', { id: 'other', accountCode: 'CDE12345' });

    assert.deepEqual(readListedIds((await request(sp.app).get('/traces')).text), ['other', 'late-ok', 'late', 'mid', 'early']);
    const window = await request(sp.app)
      .get('/traces')
      .query({ account: CODE, outcome: 'failure', since: '2027-03-01T08:00', until: '2027-03-01T09:45' });
    assert.equal(window.status, 200);
    assert.deepEqual(readListedIds(window.text), ['late', 'mid']);
    assert.match(window.text, /<input id="since" name="since" type="datetime-local" step="1" value="2027-03-01T08:00">/);
    const withOffset = await request(sp.app).get('/traces').query({ since: '2027-03-01T10:40:00+01:00' });
    assert.deepEqual(readListedIds(withOffset.text), ['other', 'late-ok', 'late']);
  });

  it('names each Open link by what it opens; an AuthnRequest is labelled by its Request ID and has no tally', async () => {
    await request(sp.app).get(`/sso/${CODE}`);
    await signIn();
    const list = await request(sp.app).get('/traces');
    const names = [...list.text.matchAll(/aria-label="(Open [^"]+)">Open<\/a>/g)].map((m) => m[1]);
    assert.equal(names.length, 2);
    assert.equal(new Set(names).size, 2, 'each link says what it opens');
    const [sent] = await sp.stores.traces.list({ kind: 'authn-request' });
    assert.ok(sent);
    const page = await request(sp.app).get(`/traces/${sent.id}`);
    assert.match(page.text, /<dt>Request ID<\/dt>/);
    assert.equal(page.text.includes('<dt>Response ID</dt>'), false);
    assert.match(page.text, /data-tally="none"/);
    assert.equal(page.text.includes('0 passed'), false);
    assert.match(
      (await request(sp.app).get(`/traces/${(await sp.stores.traces.list({ kind: 'response' }))[0]?.id}`)).text,
      /data-tally="checks"/,
    );
  });

  it('shows filter problems beside the fields', async () => {
    const bad = await request(sp.app).get('/traces').query({ since: 'yesterday', outcome: 'maybe' });
    assert.equal(bad.status, 400);
    assert.equal(readFieldErrorCode(bad.text, 'since'), 'VALIDATION_FAILED');
    assert.equal(readFieldErrorCode(bad.text, 'outcome'), 'VALIDATION_FAILED');
    assert.match(bad.text, /value="yesterday"/);
    const backwards = await request(sp.app).get('/traces').query({ since: '2027-03-01T10:00', until: '2027-03-01T09:00' });
    assert.equal(backwards.status, 400);
    assert.equal(readFieldErrorCode(backwards.text, 'until'), 'VALIDATION_FAILED');
  });

  it("draws an account's log inside its console section", async () => {
    const res = await request(sp.app).get('/traces').query({ account: CODE });
    assert.equal(res.status, 200);
    assert.match(res.text, /<a href="\/traces\?account=CUK12A34" aria-current="page">SSO log<\/a>/);
  });

  it('reports the checks as a table and marks the signed element in the decoded XML', async () => {
    const id = await signIn();
    const res = await request(sp.app).get(`/traces/${encodeURIComponent(id)}`);
    assert.equal(res.status, 200);
    assert.match(
      res.text,
      /<th scope="col">Status<\/th><th scope="col">Check<\/th><th scope="col">Expected<\/th><th scope="col">Received<\/th><th scope="col">Setting to change<\/th><th scope="col">Spec reference<\/th>/,
    );
    assert.match(res.text, /<tr class="check-pass" data-check="signature">/);
    const trace = await sp.stores.traces.get(id);
    const assertionId = trace?.summary.assertionId;
    assert.ok(assertionId);
    assert.ok(res.text.includes(`Signed: <strong>Assertion</strong> <code>${assertionId}</code>`));
    assert.ok(res.text.includes(`<mark>ID=&quot;${assertionId}&quot;</mark>`));
    assert.ok(res.text.includes(`<mark>URI=&quot;#${assertionId}&quot;</mark>`));
    assert.match(res.text, /<pre class="raw">/);
    assert.ok(res.text.includes(`mock-mimecast check mimecast-trace-${id}.txt --cert idp-certificate.pem`));
  });

  it('headlines the specific failing rule, not the node-saml gate that doubles it, as the failure page does', async () => {
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.legacyIdentifier,
      email: 'alex@contoso.com',
    });
    const failure = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: built.base64 });
    assert.equal(failure.status, 403);
    const [trace] = await sp.stores.traces.list({ limit: 1 });
    assert.ok(trace);
    assert.deepEqual(
      trace.checks
        .filter((c) => c.status === 'fail')
        .map((c) => c.id)
        .sort(),
      ['audience', 'node-saml'],
    );
    const page = await request(sp.app).get(`/traces/${encodeURIComponent(trace.id)}`);
    assert.match(page.text, /data-headline="SP_AUDIENCE_MISMATCH"/);
    assert.equal(trace.summary.firstFailure, 'SP_AUDIENCE_MISMATCH');
  });

  it('downloads the capture as a file that mock-mimecast check accepts', async () => {
    const id = await signIn();
    const res = await request(sp.app).get(`/traces/${encodeURIComponent(id)}/capture`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain; charset=utf-8/);
    assert.ok(/^attachment; filename="?([^"]+)"?$/.exec(res.headers['content-disposition'] ?? '')?.[1] === `mimecast-trace-${id}.txt`);
    const trace = await sp.stores.traces.get(id);
    assert.ok(trace);
    const evaluation = await checkCapturedResponse({
      samlResponse: res.text.trim(),
      certificates: [idp1.cert],
      issuer: ENTRA_PROFILE.issuerUrl ?? null,
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      now: new Date(trace.createdAt),
      clockFrozen: true,
      validation: { clockSkewMs: 180_000, refuseSha1: false, maxSamlBytes: 1024 * 1024 },
      decryptionKey: null,
    });
    assert.equal(evaluation.ok, true, JSON.stringify(evaluation.checks.filter((c) => c.status === 'fail')));
    assert.equal((await request(sp.app).get('/traces/nope/capture')).status, 404);
  });

  it('keeps hostile XML inert next to the marks', async () => {
    const hostileXml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_r1"><x>&lt;script&gt;alert(1)&lt;/script&gt;</x><ds:Signature><ds:SignedInfo><ds:Reference URI="#_r1"/></ds:SignedInfo></ds:Signature></samlp:Response>';
    await sp.stores.traces.add(buildStoredTrace({ id: 'hostile', xml: hostileXml }));
    const res = await request(sp.app).get('/traces/hostile');
    assert.equal(res.status, 200);
    assert.equal(/<script>alert/i.test(res.text), false);
    assert.ok(res.text.includes('<mark>ID=&quot;_r1&quot;</mark>'));
    assert.ok(res.text.includes('Signed: <strong>Response</strong> <code>_r1</code>'));
  });

  it('draws a huge or deeply nested message in bounded space, saying what was cut', async () => {
    const deep = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}</samlp:Response>`;
    const raw = Buffer.from(deep).toString('base64');
    await sp.stores.traces.add(buildStoredTrace({ id: 'deep', xml: deep, raw }));
    const res = await request(sp.app).get('/traces/deep');
    assert.equal(res.status, 200);
    // The formatted XML and the raw message are each cut at MAX_DISPLAY_CHARS; the page around them is small.
    assert.ok(res.text.length < 2 * MAX_DISPLAY_CHARS + 50_000, `page is ${res.text.length} characters`);
    assert.equal(res.text.match(/… truncated \(\d+ more characters\)/g)?.length, 2);
  });
});

describe('trace report formatting', () => {
  it('caps output, indentation and work for any input', () => {
    const deep = `${'<x a="1">'.repeat(20_000)}text${'</x>'.repeat(20_000)}`;
    const out = formatXmlForDisplay(deep);
    assert.ok(out.length <= MAX_DISPLAY_CHARS + 100, `${out.length} characters`);
    assert.match(out, /… truncated \((\d+) more characters\)$/);
    const widestIndent = Math.max(...out.split('\n').map((line) => /^ */.exec(line)?.[0].length ?? 0));
    assert.ok(widestIndent <= 64, `indented ${widestIndent} spaces`);
    assert.ok(formatXmlForDisplay(deep, 1000).length <= 1100);

    // Unterminated markup and quotes used to cost a regex split quadratic time.
    for (const hostile of ['<'.repeat(256 * 1024), '<a b="'.repeat(40_000), '<!--'.repeat(60_000)]) {
      const started = performance.now();
      assert.ok(formatXmlForDisplay(hostile).length <= MAX_DISPLAY_CHARS + 100);
      assert.ok(performance.now() - started < 2000, `${hostile.slice(0, 6)}: ${performance.now() - started} ms`);
    }
  });

  it('keeps short messages whole and reads quoted > and comments as one piece', () => {
    assert.equal(
      formatXmlForDisplay('<a><!-- x > y --><b c="1>2">t</b><d/></a>'),
      '<a>\n  <!-- x > y -->\n  <b c="1>2">t</b>\n  <d/>\n</a>',
    );
    assert.equal(clipForDisplay('short'), 'short');
    assert.match(clipForDisplay('x'.repeat(MAX_DISPLAY_CHARS + 5)), /\n… truncated \(5 more characters\)$/);
  });
});
