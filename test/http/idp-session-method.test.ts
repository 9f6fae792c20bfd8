/**
 * AADSTS75011 follows how this browser session authenticated, not a fixed per-user method: the same
 * password user signed in with the "Windows Hello (device)" stand-in is refused a request for
 * PasswordProtectedTransport, and succeeds with the password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { AUTH_METHOD_PROFILES } from '../../src/core/idp/aadsts.js';
import type { SignInLogEntry } from '../../src/core/idp/sign-in-log.js';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { AUTHN_CONTEXT, NS } from '../../src/core/saml/constants.js';
import {
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_ACS_URL,
  DEFAULT_IDENTIFIER,
  readTransactionId,
  type TestIdp,
} from '../_helpers/idp-harness.js';

function encodePptRequest(id: string): string {
  return encodeRedirectBinding(
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" AssertionConsumerServiceURL="${DEFAULT_ACS_URL}">` +
      `<saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer><samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>${AUTHN_CONTEXT.passwordProtectedTransport}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>`,
  );
}

async function newestLog(idp: TestIdp): Promise<SignInLogEntry | undefined> {
  const res = await request(idp.app).get(`/api/tenants/${idp.tenantId}/sign-in-logs`).set('accept', 'application/json');
  return (res.body as SignInLogEntry[])[0];
}

describe("the session's authentication method decides AADSTS75011", () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp();
  });
  after(() => idp.close());

  test('Windows Hello (device) against PasswordProtectedTransport → AADSTS75011 with X509, MultiFactor', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodePptRequest('_wh1') });
    assert.match(start.text, /data-method="windows-hello"/);
    const tx = readTransactionId(start.text);
    const page = await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, method: 'windows-hello' });
    const done = await answerStaySignedIn(agent, page);
    assert.equal(done.headers['x-idp-error'], 'IDP_AADSTS75011');
    assert.doesNotMatch(done.text, /name="hiddenform"/);
    const entry = await newestLog(idp);
    assert.equal(entry?.code, 'IDP_AADSTS75011');
    assert.equal(entry?.authenticationMethod, 'Windows Hello for Business');
    assert.equal(entry?.errorCode, 75011);
    assert.equal(AUTH_METHOD_PROFILES['windows-hello'].entraName, 'X509, MultiFactor');
  });

  test('the same user with the password succeeds', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodePptRequest('_wh2') });
    const tx = readTransactionId(start.text);
    await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
    const page = await agent
      .post('/login/password')
      .type('form')
      .send({ tx, loginfmt: idp.user.userPrincipalName, passwd: idp.user.password });
    const done = await answerStaySignedIn(agent, page);
    assert.match(done.text, /name="hiddenform"/);
    const entry = await newestLog(idp);
    assert.equal(entry?.status, 'Success');
    assert.equal(entry?.authenticationMethod, 'Password');
  });
});
