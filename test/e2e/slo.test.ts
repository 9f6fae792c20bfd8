import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updateAppSettings } from '../../src/core/idp/admin.js';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { buildEntraIssuer, NAMEID_FORMAT } from '../../src/core/saml/constants.js';
import { buildLogoutRequestXml } from '../../src/core/saml/logout-messages.js';
import { buildSignedRedirectQuery } from '../../src/core/saml/redirect-signature.js';
import type { TraceKind } from '../../src/core/sp/traces.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

/** Single logout both ways, over real HTTP between the SP and the mock Entra (HTTP-Redirect binding). */
describe('single logout between the SP and the mock Entra', () => {
  let h: Harness;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  before(async () => {
    h = await startTestHarness();
    const seed = h.walkthrough.idp;
    assert.ok(h.idp && seed);
    await updateAppSettings(h.idp.ctx, seed.tenantId, seed.appId, { logoutUrl: `${h.spUrl}/logout/saml` });
  });
  after(() => h.close());

  async function readSessionStatus(browser: TestBrowser): Promise<number> {
    const cookie = [...browser.cookies(h.spUrl)].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${h.spUrl}/api/session`, { headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } });
    await res.arrayBuffer();
    return res.status;
  }

  async function latestTrace(kind: TraceKind) {
    const [trace] = await h.sp.stores.traces.list({ kind, limit: 1 });
    assert.ok(trace, `a ${kind} trace`);
    return trace;
  }

  async function signIn(): Promise<TestBrowser> {
    const browser = new TestBrowser();
    const result = await signInSpInitiated(h, { ...creds, browser });
    assert.equal(result.ok, true, `ended at ${result.page.url}`);
    assert.equal(await readSessionStatus(browser), 200);
    return browser;
  }

  test('SP-initiated: /logout/saml ends both sessions and the IdP confirms with a signed LogoutResponse', async () => {
    const browser = await signIn();
    const page = await browser.get(`${h.spUrl}/logout/saml`);
    assert.equal(page.status, 200);
    assert.equal(new URL(page.url).pathname, '/logout/saml');
    assert.match(page.text, /data-outcome="idp-confirmed"/);
    assert.equal(await readSessionStatus(browser), 401);
    const idpHop = browser.history.find((hop) => hop.url.startsWith(`${h.idpUrl}/`) && hop.url.includes('SAMLRequest='));
    assert.ok(idpHop, 'the LogoutRequest went to the IdP over HTTP-Redirect');

    const sent = await latestTrace('logout-request');
    assert.equal(sent.outcome, 'sent');
    assert.equal(sent.summary.flow, 'sp-initiated');
    const received = await latestTrace('logout-response');
    assert.equal(received.outcome, 'success');
    assert.equal(received.summary.inResponseTo, sent.summary.responseId);
    assert.deepEqual(
      received.checks.filter((c) => c.status !== 'pass'),
      [],
    );
    assert.equal(received.checks.find((c) => c.id === 'logout-signature')?.status, 'pass');
    assert.equal((await browser.get(`${h.spUrl}/traces/${received.id}`)).status, 200, 'the SSO log shows logout traces');

    const idpAfter = await browser.get(`${h.idpUrl}/myapps`);
    assert.match(idpAfter.text, /name="loginfmt"/, 'the Entra session is over too');

    const answer = browser.history.find((hop) => hop.url.includes('/logout/saml?SAMLResponse='));
    assert.ok(answer);
    const replay = await new TestBrowser().get(answer.url);
    assert.equal(replay.status, 403);
    assert.equal((await latestTrace('logout-response')).summary.firstFailure, 'SP_LOGOUT_IN_RESPONSE_TO_UNKNOWN');
  });

  test('IdP-initiated: My Apps › Sign out sends the app a LogoutRequest, the SP ends its session and answers', async () => {
    const browser = await signIn();
    const myApps = await browser.get(`${h.idpUrl}/myapps`);
    const href = myApps.text.match(/<a href="([^"]+)" id="sign-out">/)?.[1];
    assert.ok(href, 'My Apps has a Sign out link');
    const page = await browser.get(new URL(href, myApps.url).toString());
    assert.ok(page.url.startsWith(`${h.idpUrl}/`), page.url);
    assert.match(page.text, /data-status="urn:oasis:names:tc:SAML:2.0:status:Success" data-matched="true"/);
    assert.equal(await readSessionStatus(browser), 401);

    const received = await latestTrace('logout-request');
    assert.equal(received.summary.flow, 'idp-initiated');
    assert.equal(received.outcome, 'success');
    assert.equal(received.summary.nameId, IDP_SEED.userPrincipalName);
    assert.deepEqual(
      received.checks.filter((c) => c.status !== 'pass'),
      [],
    );
    const answered = await latestTrace('logout-response');
    assert.equal(answered.outcome, 'sent');
    assert.equal(answered.summary.inResponseTo, received.summary.responseId);
  });

  test('a LogoutRequest that is unsigned, or names someone else, leaves the SP session alone', async () => {
    const browser = await signIn();
    const seed = h.walkthrough.idp;
    assert.ok(seed);
    const build = (nameId: string) =>
      buildLogoutRequestXml({
        id: `_forged-${nameId.length}`,
        issuer: buildEntraIssuer(seed.tenantId),
        destination: `${h.spUrl}/logout/saml`,
        issueInstant: new Date(),
        nameId,
        nameIdFormat: NAMEID_FORMAT.emailAddress,
        sessionIndex: null,
      });
    await browser.get(`${h.spUrl}/logout/saml?SAMLRequest=${encodeURIComponent(encodeRedirectBinding(build(IDP_SEED.userPrincipalName)))}`);
    assert.equal((await latestTrace('logout-request')).summary.firstFailure, 'SP_LOGOUT_UNSIGNED');
    assert.equal(await readSessionStatus(browser), 200);

    const query = buildSignedRedirectQuery({
      param: 'SAMLRequest',
      message: encodeRedirectBinding(build('someone.else@contoso.com')),
      relayState: null,
      key: readKeyPair('idp-signing-1').key,
      algorithm: 'sha256',
      encoding: 'lower',
    });
    await browser.get(`${h.spUrl}/logout/saml?${query}`);
    assert.equal((await latestTrace('logout-request')).summary.firstFailure, 'SP_LOGOUT_UNKNOWN_PRINCIPAL');
    assert.equal(await readSessionStatus(browser), 200);
  });
});
