/**
 * The mock Entra's sign-in pages as markup: each step focuses its field (or its primary button) on
 * load, the error page offers "Copy info to clipboard" through a script the CSP allows, and "Forgot
 * my password" opens the stand-in for self-service password reset with a way back to the sign-in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { assignUserToApp, createUser } from '../../src/core/idp/admin.js';
import { decodeHtml } from '../_helpers/idp-console.js';
import { createTestIdp, encodeTestAuthnRequest, readTransactionId, startPasswordSignIn, type TestIdp } from '../_helpers/idp-harness.js';

/** The ids of the elements that carry autofocus, in page order. */
function readAutofocus(html: string): string[] {
  return [...html.matchAll(/<(?:input|button|a) [^>]*>/g)]
    .filter((m) => / autofocus[\s>]/.test(m[0]))
    .map((m) => /id="([^"]+)"/.exec(m[0])?.[1] ?? '?');
}

function readForgotLink(html: string): string {
  return decodeHtml(/<a href="([^"]*)" id="idA_PWD_ForgotPassword">/.exec(html)?.[1] ?? '');
}

describe('mock Entra sign-in pages: focus, copy, forgot password', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp();
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Adele.Vance@contoso.com',
      displayName: 'Adele',
      password: 'Test-only-Mfa-Passw0rd!',
      authMethod: 'multi-factor',
    });
    await assignUserToApp(idp.ctx, idp.tenantId, idp.appId, 'Adele.Vance@contoso.com');
  });
  after(() => idp.close());

  test('each step focuses one element on load: the field, or the primary button', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest('_f1') });
    assert.deepEqual(readAutofocus(start.text), ['i0116']);
    const tx = readTransactionId(start.text);
    const unknown = await agent.post('/login').type('form').send({ tx, loginfmt: 'nobody@contoso.com' });
    assert.deepEqual(readAutofocus(unknown.text), ['i0116'], 'also when the page shows an error');
    const password = await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
    assert.deepEqual(readAutofocus(password.text), ['i0118']);
    const wrong = await agent.post('/login/password').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, passwd: 'nope' });
    assert.deepEqual(readAutofocus(wrong.text), ['i0118']);
    const kmsi = await agent
      .post('/login/password')
      .type('form')
      .send({ tx, loginfmt: idp.user.userPrincipalName, passwd: idp.user.password });
    assert.deepEqual(readAutofocus(kmsi.text), ['idSIButton9'], '"Stay signed in?" focuses Yes');

    const mfa = await startPasswordSignIn(request.agent(idp.app), idp, {
      id: '_f2',
      upn: 'Adele.Vance@contoso.com',
      password: 'Test-only-Mfa-Passw0rd!',
    });
    assert.deepEqual(readAutofocus(mfa.page.text), ['mfa-approve']);
  });

  test("the error page: selectable details, and a copy button driven by a static script with the response's CSP nonce", async () => {
    const res = await request(idp.app).get(`/${idp.tenantId}/saml2`);
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-idp-error'], 'IDP_AADSTS750054');
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    assert.ok(nonce);
    assert.match(res.text, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}" src="/static/idp-sign-in.js" defer></script>`));
    assert.doesNotMatch(res.text, /<script(?![^>]*src=)[^>]*>/, 'no inline script');
    assert.match(res.text, /<button type="button" class="copy-details" data-copy-details="troubleshooting-details" hidden>/);
    assert.match(res.text, /<dl id="troubleshooting-details">/);
    assert.match(res.text, /<dd data-field="request-id">[0-9a-f-]{36}<\/dd>/);

    const script = await request(idp.app).get('/static/idp-sign-in.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.match(script.text, /navigator\.clipboard/);
  });

  test('"Forgot my password" opens the self-service password reset stand-in, which leads back to "Enter password"', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest('_f3') });
    const tx = readTransactionId(start.text);
    const password = await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
    const link = new URL(readForgotLink(password.text), 'http://idp.test');
    assert.equal(link.pathname, '/passwordreset');
    assert.deepEqual(Object.fromEntries(link.searchParams), { tx, username: idp.user.userPrincipalName });

    const reset = await agent.get(`${link.pathname}${link.search}`);
    assert.equal(reset.status, 200);
    assert.match(reset.text, /<p class="mock-note" id="ssprNote" data-mock="sspr">/);
    assert.match(reset.text, /<form method="POST" action="\/login" id="sspr-back-form"/);
    assert.deepEqual(readAutofocus(reset.text), ['idSIButton9']);
    const back = await agent
      .post('/login')
      .type('form')
      .send({ tx: readTransactionId(reset.text), loginfmt: idp.user.userPrincipalName });
    assert.match(back.text, /name="passwd"/);
    assert.deepEqual(readAutofocus(back.text), ['i0118']);
  });

  test('the stand-in without a live transaction of this browser offers a new sign-in; odd queries never fail', async () => {
    const agent = request.agent(idp.app);
    for (const query of [
      '',
      '?tx=not-a-transaction&username=x',
      '?tx=a&tx=b&username=a&username=b',
      `?username=${encodeURIComponent('<script>x</script>')}`,
    ]) {
      const res = await agent.get(`/passwordreset${query}`);
      assert.equal(res.status, 200, query);
      assert.doesNotMatch(res.text, /id="sspr-back-form"/, query);
      assert.match(res.text, /<a href="\/myapps" id="sspr-sign-in" autofocus>/, query);
      assert.doesNotMatch(res.text, /<script>x/, query);
    }
    // Another browser's transaction is not this one's.
    const other = request.agent(idp.app);
    const start = await other.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest('_f4') });
    const res = await agent.get(`/passwordreset?tx=${readTransactionId(start.text)}`);
    assert.doesNotMatch(res.text, /id="sspr-back-form"/);
  });
});
