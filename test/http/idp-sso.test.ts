import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createUser, updateAppSettings } from '../../src/core/idp/admin.js';
import { encodePostBinding, encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { AUTHN_CONTEXT, NS } from '../../src/core/saml/constants.js';
import { descendantElements, firstChildElement, parseXmlSafely, readAttribute, readText } from '../../src/core/saml/xml.js';
import {
  answerSecondFactor,
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_ACS_URL,
  DEFAULT_IDENTIFIER,
  type TestIdp,
} from '../_helpers/idp-harness.js';

function buildAuthnRequest(opts: { id?: string; issuer?: string; acs?: string | null; context?: string[] } = {}): string {
  const acs = opts.acs === null ? '' : ` AssertionConsumerServiceURL="${opts.acs ?? DEFAULT_ACS_URL}"`;
  const rac = opts.context
    ? `<samlp:RequestedAuthnContext Comparison="exact">${opts.context.map((c) => `<saml:AuthnContextClassRef>${c}</saml:AuthnContextClassRef>`).join('')}</samlp:RequestedAuthnContext>`
    : '';
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${opts.id ?? '_req-1'}" Version="2.0" IssueInstant="2027-03-01T10:00:00Z"${acs} ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${opts.issuer ?? DEFAULT_IDENTIFIER}</saml:Issuer>${rac}</samlp:AuthnRequest>`
  );
}

function readHidden(html: string, name: string): string | null {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? (match[1] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'") : null;
}

function readErrorCode(html: string): string | null {
  return /data-code="([A-Z0-9_]+)"/.exec(html)?.[1] ?? null;
}

async function signIn(agent: ReturnType<typeof request.agent>, startHtml: string, idp: TestIdp, password = idp.user.password) {
  const tx = readHidden(startHtml, 'tx');
  assert.ok(tx, 'the sign-in page carries a transaction id');
  const first = await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
  assert.equal(first.status, 200);
  assert.match(first.text, /name="passwd"/);
  const afterPassword = await agent
    .post('/login/password')
    .type('form')
    .send({ tx, loginfmt: idp.user.userPrincipalName, passwd: password });
  return answerStaySignedIn(agent, await answerSecondFactor(agent, afterPassword));
}

function readResponse(html: string): Document {
  const b64 = readHidden(html, 'SAMLResponse');
  assert.ok(b64, 'the Working page carries a SAMLResponse');
  return parseXmlSafely(Buffer.from(b64, 'base64').toString('utf8'));
}

describe('mock Entra SP-initiated sign-in', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp({ spAcsUrl: DEFAULT_ACS_URL, identifier: DEFAULT_IDENTIFIER });
  });
  after(() => idp.close());

  test('Redirect AuthnRequest → sign-in → password → Working page with a response for the SP', async () => {
    const agent = request.agent(idp.app);
    const start = await agent
      .get(`/${idp.tenantId}/saml2`)
      .query({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest()), RelayState: '/portal' });
    assert.equal(start.status, 200);
    assert.match(start.text, /name="loginfmt"/);
    assert.match(start.text, /placeholder="Email, phone, or Skype"/);
    const done = await signIn(agent, start.text, idp);
    assert.equal(done.status, 200);
    assert.match(done.text, /name="hiddenform"/);
    assert.equal(readHidden(done.text, 'RelayState'), '/portal');
    assert.match(done.headers['content-security-policy'] ?? '', /script-src 'nonce-/);
    const doc = readResponse(done.text);
    const root = doc.documentElement;
    assert.equal(readAttribute(root, 'Destination'), DEFAULT_ACS_URL);
    assert.equal(readAttribute(root, 'InResponseTo'), '_req-1');
    const audience = descendantElements(doc, NS.saml, 'Audience')[0];
    assert.equal(audience && readText(audience), DEFAULT_IDENTIFIER);
    const nameId = descendantElements(doc, NS.saml, 'NameID')[0];
    assert.equal(nameId && readText(nameId), idp.user.userPrincipalName);
    const assertion = firstChildElement(root, NS.saml, 'Assertion');
    assert.ok(assertion && firstChildElement(assertion, NS.ds, 'Signature'), 'the assertion is signed by default');

    // The IdP session now answers a second request without a password.
    const again = await agent
      .post(`/${idp.tenantId}/saml2`)
      .type('form')
      .send({ SAMLRequest: encodePostBinding(buildAuthnRequest({ id: '_req-2' })) });
    assert.equal(again.status, 200);
    assert.equal(readAttribute(readResponse(again.text).documentElement, 'InResponseTo'), '_req-2');
    assert.equal(readHidden(again.text, 'RelayState'), null);
    assert.doesNotMatch(again.text, /value="null"/);
  });

  test('a wrong password shows an error under the field and no response', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest()) });
    const res = await signIn(agent, start.text, idp, 'wrong');
    assert.equal(res.status, 200);
    assert.match(res.text, /data-error="password"/);
    assert.equal(readHidden(res.text, 'SAMLResponse'), null);
  });

  const cases: [string, () => Record<string, string>, string][] = [
    ['no SAMLRequest', () => ({}), 'IDP_AADSTS750054'],
    ['garbage SAMLRequest', () => ({ SAMLRequest: '%%%not-base64' }), 'IDP_AADSTS750056'],
    ['not deflated', () => ({ SAMLRequest: Buffer.from('<x/>').toString('base64') }), 'IDP_AADSTS750056'],
    ['a DTD', () => ({ SAMLRequest: encodeRedirectBinding('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>') }), 'IDP_AADSTS750056'],
    ['ID starting with a digit', () => ({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest({ id: '1abc' })) }), 'IDP_AADSTS7500529'],
    [
      'unknown issuer',
      () => ({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest({ issuer: 'https://other.example/' })) }),
      'IDP_AADSTS700016',
    ],
    [
      'unknown reply URL',
      () => ({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest({ acs: 'https://evil.example/acs' })) }),
      'IDP_AADSTS50011',
    ],
  ];
  for (const [name, query, code] of cases) {
    test(`${name} → Entra error page ${code}, never a 5xx`, async () => {
      const res = await request(idp.app).get(`/${idp.tenantId}/saml2`).query(query());
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.equal(readErrorCode(res.text), code);
      assert.match(res.text, /data-field="request-id">[0-9a-f-]{36}</);
      assert.match(res.text, /data-field="correlation-id">[0-9a-f-]{36}</);
    });
  }

  test('unknown tenant → AADSTS90002 page', async () => {
    const res = await request(idp.app)
      .get('/00000000-0000-4000-8000-000000000000/saml2')
      .query({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest()) });
    assert.equal(res.status, 404);
    assert.equal(readErrorCode(res.text), 'IDP_AADSTS90002');
  });

  test('a user not assigned → AADSTS50105 on the error page', async () => {
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Unassigned@contoso.com',
      displayName: 'U',
      password: 'Test-only-Passw0rd!',
    });
    const agent = request.agent(idp.app);
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(buildAuthnRequest()) });
    const res = await signIn(agent, start.text, {
      ...idp,
      user: { userPrincipalName: 'Unassigned@contoso.com', password: 'Test-only-Passw0rd!' },
    });
    assert.equal(res.status, 403);
    assert.equal(readErrorCode(res.text), 'IDP_AADSTS50105');
  });

  test('an MFA user who types the password and approves the push still gets PasswordProtectedTransport back', async () => {
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Mfa@contoso.com',
      displayName: 'M',
      password: 'Test-only-Passw0rd!',
      authMethod: 'multi-factor',
    });
    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { assignmentRequired: false });
    try {
      const agent = request.agent(idp.app);
      const req = buildAuthnRequest({ context: [AUTHN_CONTEXT.passwordProtectedTransport] });
      const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(req) });
      const res = await signIn(agent, start.text, {
        ...idp,
        user: { userPrincipalName: 'Mfa@contoso.com', password: 'Test-only-Passw0rd!' },
      });
      const doc = readResponse(res.text);
      const classRef = descendantElements(doc, NS.saml, 'AuthnContextClassRef')[0];
      assert.equal(classRef && readText(classRef), AUTHN_CONTEXT.passwordProtectedTransport);
    } finally {
      await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { assignmentRequired: true });
    }
  });

  test("Windows Hello (device) against the Password context → AADSTS75011 on Entra's error page, no post to the SP", async () => {
    const agent = request.agent(idp.app);
    const req = buildAuthnRequest({ context: [AUTHN_CONTEXT.passwordProtectedTransport] });
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(req) });
    const tx = readHidden(start.text, 'tx');
    const page = await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, method: 'windows-hello' });
    const res = await answerStaySignedIn(agent, page);
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-idp-error'], 'IDP_AADSTS75011');
    assert.equal(readErrorCode(res.text), 'IDP_AADSTS75011');
    assert.match(res.text, /Troubleshooting details/);
    assert.doesNotMatch(res.text, /SAMLResponse/);
  });

  test('a password user with the PasswordProtectedTransport context gets that class back', async () => {
    const agent = request.agent(idp.app);
    const req = buildAuthnRequest({ context: [AUTHN_CONTEXT.passwordProtectedTransport] });
    const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(req) });
    const doc = readResponse((await signIn(agent, start.text, idp)).text);
    const classRef = descendantElements(doc, NS.saml, 'AuthnContextClassRef')[0];
    assert.equal(classRef && readText(classRef), AUTHN_CONTEXT.passwordProtectedTransport);
  });
});
