import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { assignUserToApp, createUser } from '../../src/core/idp/admin.js';
import { decodePostBinding } from '../../src/core/saml/bindings.js';
import { ENTRA_AUTHN_METHOD, NS } from '../../src/core/saml/constants.js';
import { descendantElements, parseXmlSafely, readText } from '../../src/core/saml/xml.js';
import {
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_ACS_URL,
  DEFAULT_IDENTIFIER,
  encodeTestAuthnRequest,
  KMSI_FORM,
  MFA_FORM,
  startPasswordSignIn,
  type TestIdp,
} from '../_helpers/idp-harness.js';

const MFA = { upn: 'Adele.Vance@contoso.com', password: 'Test-only-Mfa-Passw0rd!' };

function readHidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
}

function passwordStep(agent: ReturnType<typeof request.agent>, idp: TestIdp, upn: string, password: string, id: string) {
  return startPasswordSignIn(agent, idp, { id, upn, password });
}

describe('mock Entra "Approve sign in request" for a multi-factor user', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp({ spAcsUrl: DEFAULT_ACS_URL, identifier: DEFAULT_IDENTIFIER });
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: MFA.upn,
      password: MFA.password,
      displayName: 'Adele Vance',
      authMethod: 'multi-factor',
    });
    await assignUserToApp(idp.ctx, idp.tenantId, idp.appId, MFA.upn);
  });
  after(() => idp.close());

  test('follows the password with a number; the user is not signed in until the phone approves', async () => {
    const agent = request.agent(idp.app);
    const { tx, page } = await passwordStep(agent, idp, MFA.upn, MFA.password, '_m1');
    assert.match(page.text, MFA_FORM);
    assert.match(page.text, /<h1>Approve sign in request<\/h1>/);
    assert.match(/data-number="(\d+)"/.exec(page.text)?.[1] ?? '', /^\d{2}$/);
    // Not signed in yet: another request from this browser asks for the email again.
    const other = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest('_m2') });
    assert.match(other.text, /name="loginfmt"/);

    const approved = await agent.post('/login/mfa').type('form').send({ tx, action: 'approve' });
    assert.match(approved.text, KMSI_FORM);
    const done = await answerStaySignedIn(agent, approved);
    const xml = decodePostBinding(readHidden(done.text, 'SAMLResponse'), 1 << 20);
    const amr = descendantElements(parseXmlSafely(xml), NS.saml, 'AttributeValue').map(readText);
    assert.ok(amr.includes(ENTRA_AUTHN_METHOD.multiFactor), 'the response reports multi-factor authentication');

    // The prompt is answered once: the same answer again finds nothing waiting.
    const again = await agent.post('/login/mfa').type('form').send({ tx, action: 'approve' });
    assert.match(again.text, /data-code="IDP_SIGN_IN_EXPIRED"/);
  });

  test('the prompt cannot be skipped: answering "Stay signed in?" straight after the password signs nobody in', async () => {
    const agent = request.agent(idp.app);
    const { tx } = await passwordStep(agent, idp, MFA.upn, MFA.password, '_m6');
    const skipped = await agent.post('/kmsi').type('form').send({ tx, LoginOptions: '1' });
    assert.doesNotMatch(skipped.text, /name="hiddenform"/);
    assert.match(skipped.text, /name="loginfmt"/);
  });

  test("Deny: AADSTS500121 on Entra's page, and nobody is signed in", async () => {
    const agent = request.agent(idp.app);
    const { tx } = await passwordStep(agent, idp, MFA.upn, MFA.password, '_m3');
    const denied = await agent.post('/login/mfa').type('form').send({ tx, action: 'deny' });
    assert.match(denied.text, /data-code="IDP_AADSTS500121"/);
    assert.doesNotMatch(denied.text, /name="hiddenform"/);
    const next = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest('_m4') });
    assert.match(next.text, /name="loginfmt"/);
  });

  test('a password user is never asked, and an answer without a waiting prompt is refused', async () => {
    const agent = request.agent(idp.app);
    const { tx, page } = await passwordStep(agent, idp, idp.user.userPrincipalName, idp.user.password, '_m5');
    assert.doesNotMatch(page.text, MFA_FORM);
    assert.match(page.text, KMSI_FORM);
    const stray = await agent.post('/login/mfa').type('form').send({ tx, action: 'approve' });
    assert.match(stray.text, /data-code="IDP_SIGN_IN_EXPIRED"/);
  });
});
