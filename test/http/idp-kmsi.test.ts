import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { answerStaySignedIn, createTestIdp, DEFAULT_ACS_URL, DEFAULT_IDENTIFIER, KMSI_FORM, type TestIdp } from '../_helpers/idp-harness.js';

type Agent = ReturnType<typeof request.agent>;

function buildAuthnRequest(id: string, forceAuthn = false): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" AssertionConsumerServiceURL="${DEFAULT_ACS_URL}"${forceAuthn ? ' ForceAuthn="true"' : ''}>` +
    `<saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer></samlp:AuthnRequest>`
  );
}

function readTx(html: string): string {
  return /name="tx" value="([^"]*)"/.exec(html)?.[1] ?? '';
}

function readSetCookie(res: { headers: Record<string, unknown> }, name: string): string | null {
  return ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith(`${name}=`)) ?? null;
}

/** Starts an SP-initiated sign-in and answers email and password; returns the page after the password. */
async function passwordStep(agent: Agent, idp: TestIdp, id: string, forceAuthn = false) {
  const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest(id, forceAuthn)) });
  const tx = readTx(start.text);
  await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
  return agent.post('/login/password').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, passwd: idp.user.password });
}

describe('mock Entra "Stay signed in?"', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp({ spAcsUrl: DEFAULT_ACS_URL, identifier: DEFAULT_IDENTIFIER });
  });
  after(() => idp.close());

  test('follows a correct password; No answers the SP and keeps the session to the browser session', async () => {
    const agent = request.agent(idp.app);
    const kmsi = await passwordStep(agent, idp, '_k1');
    assert.equal(kmsi.status, 200);
    assert.match(kmsi.text, KMSI_FORM);
    assert.match(kmsi.text, /<h1>Stay signed in\?<\/h1>/);
    assert.match(kmsi.text, /name="DontShowAgain"/);
    const done = await answerStaySignedIn(agent, kmsi);
    assert.match(done.text, /name="hiddenform"/);
    const cookie = readSetCookie(kmsi, 'ESTSAUTH');
    assert.ok(cookie, 'signed in at the password');
    assert.doesNotMatch(cookie, /Expires=/i, 'a browser-session cookie');
  });

  test('Yes makes the IdP session cookie last 90 days', async () => {
    const agent = request.agent(idp.app);
    const yes = await answerStaySignedIn(agent, await passwordStep(agent, idp, '_k2'), { yes: true });
    assert.match(yes.text, /name="hiddenform"/);
    const cookie = readSetCookie(yes as unknown as { headers: Record<string, unknown> }, 'ESTSAUTH');
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie ?? '')?.[1] ?? '');
    assert.ok(Math.abs(expires - Date.now() - 90 * 86_400_000) < 86_400_000, `expires ${new Date(expires).toISOString()}`);
  });

  test("Don't show this again: the next password in this browser goes straight back to the SP", async () => {
    const agent = request.agent(idp.app);
    await answerStaySignedIn(agent, await passwordStep(agent, idp, '_k3'), { dontShowAgain: true });
    // ForceAuthn asks for the password again, and this time no question follows it.
    const again = await passwordStep(agent, idp, '_k4', true);
    assert.doesNotMatch(again.text, KMSI_FORM);
    assert.match(again.text, /name="hiddenform"/);
  });

  test('an answer for a transaction this browser does not hold shows the start-again page', async () => {
    const agent = request.agent(idp.app);
    const stale = await agent.post('/kmsi').type('form').send({ tx: 'not-a-transaction', LoginOptions: '1' });
    assert.match(stale.text, /data-code="IDP_SIGN_IN_EXPIRED"/);
    assert.doesNotMatch(stale.text, /name="hiddenform"/);
  });
});
