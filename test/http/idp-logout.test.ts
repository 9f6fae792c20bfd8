/**
 * An SP's LogoutRequest at the mock Entra ends a signed-in browser's session only when it comes from
 * an app of that tenant, to that tenant's endpoint, and names the session's NameID (and SessionIndex,
 * when it gives one). Anything else leaves the session signed in, which the next SSO proves by
 * answering without asking for credentials.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import { createMimecastApp, createTenant, updateAppSettings } from '../../src/core/idp/admin.js';
import { decodeRedirectBinding, encodePostBinding, encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { descendantElements, parseXmlSafely, readAttribute } from '../../src/core/saml/xml.js';
import {
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_IDENTIFIER,
  encodeTestAuthnRequest,
  IDP_BASE_URL,
  startPasswordSignIn,
  type TestIdp,
} from '../_helpers/idp-harness.js';

type Agent = ReturnType<typeof request.agent>;

const SP_LOGOUT_URL = 'http://sp.test/logout/saml';

function buildLogoutRequest(opts: {
  id?: string;
  issuer?: string | null;
  nameId?: string | null;
  sessionIndex?: string;
  destination?: string;
}): string {
  const issuer = opts.issuer === null ? '' : `<saml:Issuer>${opts.issuer ?? DEFAULT_IDENTIFIER}</saml:Issuer>`;
  const nameId =
    opts.nameId === null
      ? ''
      : `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${opts.nameId ?? 'B.Simon@contoso.com'}</saml:NameID>`;
  const destination = opts.destination === undefined ? '' : ` Destination="${opts.destination}"`;
  const sessionIndex = opts.sessionIndex === undefined ? '' : `<samlp:SessionIndex>${opts.sessionIndex}</samlp:SessionIndex>`;
  return (
    `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${opts.id ?? '_lo-1'}" Version="2.0" IssueInstant="2027-03-01T10:00:00Z"${destination}>` +
    `${issuer}${nameId}${sessionIndex}</samlp:LogoutRequest>`
  );
}

function readHidden(html: string, name: string): string | null {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? (match[1] ?? '') : null;
}

function readDataCode(html: string): string | null {
  return /data-code="([A-Z0-9_]+)"/.exec(html)?.[1] ?? null;
}

describe('mock Entra: who may end a session with a LogoutRequest', () => {
  let idp: TestIdp;
  let otherTenantId: string;
  let agent: Agent;
  let sessionIndex: string;
  let requestCount = 0;

  before(async () => {
    idp = await createTestIdp();
    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { logoutUrl: SP_LOGOUT_URL });
    // Another tenant, with an app that has the same Identifier (Identifiers are unique per tenant only).
    otherTenantId = (await createTenant(idp.ctx, { name: 'fabrikam.onmicrosoft.com', verifiedDomains: ['fabrikam.com'] })).tenantId;
    await createMimecastApp(idp.ctx, otherTenantId, {
      identifiers: [DEFAULT_IDENTIFIER],
      replyUrls: ['http://sp.test/login/saml'],
      logoutUrl: SP_LOGOUT_URL,
    });
  });
  after(() => idp.close());

  /** A fresh browser signed in SP-initiated to the Mimecast app; keeps the SessionIndex it was given. */
  beforeEach(async () => {
    agent = request.agent(idp.app);
    const { page } = await startPasswordSignIn(agent, idp, { id: `_signin-${++requestCount}` });
    const working = await answerStaySignedIn(agent, page);
    const xml = Buffer.from(readHidden(working.text, 'SAMLResponse') ?? '', 'base64').toString('utf8');
    const statement = descendantElements(parseXmlSafely(xml), NS.saml, 'AuthnStatement')[0];
    assert.ok(statement, 'signed in: the Working page carries an assertion');
    sessionIndex = readAttribute(statement, 'SessionIndex') ?? '';
    assert.ok(sessionIndex.length > 0);
  });

  /** The next SSO answers with a response at once (signed in) or asks for the account (signed out). */
  async function isSignedIn(): Promise<boolean> {
    const next = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest(`_probe-${++requestCount}`) });
    assert.equal(next.status, 200);
    if (/name="hiddenform"/.test(next.text)) return true;
    assert.match(next.text, /name="loginfmt"/);
    return false;
  }

  function sendLogout(xml: string, tenantPath = idp.tenantId) {
    return agent.get(`/${tenantPath}/saml2`).query({ SAMLRequest: encodeRedirectBinding(xml) });
  }

  test('a LogoutRequest naming another NameID leaves the session signed in and says so (Redirect and POST)', async () => {
    const redirect = await sendLogout(buildLogoutRequest({ nameId: 'Someone.Else@contoso.com' }));
    assert.equal(redirect.status, 200);
    assert.equal(readDataCode(redirect.text), 'IDP_LOGOUT_UNKNOWN_PRINCIPAL');
    assert.equal(await isSignedIn(), true);
    // A cross-site form post, unsigned as Entra allows.
    const post = await agent
      .post(`/${idp.tenantId}/saml2`)
      .type('form')
      .send({ SAMLRequest: encodePostBinding(buildLogoutRequest({ id: '_lo-post', nameId: 'Someone.Else@contoso.com' })) });
    assert.equal(readDataCode(post.text), 'IDP_LOGOUT_UNKNOWN_PRINCIPAL');
    const noNameId = await sendLogout(buildLogoutRequest({ id: '_lo-none', nameId: null }));
    assert.equal(readDataCode(noNameId.text), 'IDP_LOGOUT_UNKNOWN_PRINCIPAL');
    assert.equal(await isSignedIn(), true);
  });

  test('an Issuer that is no app of the tenant gets AADSTS700016 and ends nothing', async () => {
    for (const issuer of ['https://attacker.example/sso', null]) {
      const res = await sendLogout(buildLogoutRequest({ issuer }));
      assert.equal(res.status, 400);
      assert.equal(res.headers['x-idp-error'], 'IDP_AADSTS700016');
    }
    assert.equal(await isSignedIn(), true);
  });

  test("another tenant's endpoint ends nothing: an error, or nobody signed in there", async () => {
    // The Identifier exists in the other tenant too, so the request is valid there, for nobody.
    const elsewhere = await sendLogout(buildLogoutRequest({}), otherTenantId);
    assert.equal(elsewhere.status, 302);
    assert.equal(new URL(elsewhere.headers.location ?? '').origin, 'http://sp.test');
    assert.equal(await isSignedIn(), true);
    const unknownTenant = await sendLogout(buildLogoutRequest({}), 'nobody.onmicrosoft.com');
    assert.equal(unknownTenant.headers['x-idp-error'], 'IDP_AADSTS90002');
    assert.equal(await isSignedIn(), true);
  });

  test("a Destination that is not this tenant's endpoint gets AADSTS75005 and ends nothing", async () => {
    for (const destination of [
      `${IDP_BASE_URL}/${otherTenantId}/saml2`,
      'http://evil.test/saml2',
      `${IDP_BASE_URL}/${idp.tenantId}/saml2?x=1`,
    ]) {
      const res = await sendLogout(buildLogoutRequest({ destination }));
      assert.equal(res.status, 400, destination);
      assert.equal(res.headers['x-idp-error'], 'IDP_AADSTS75005', destination);
    }
    assert.equal(await isSignedIn(), true);
  });

  test("a SessionIndex that is not the session's leaves it signed in", async () => {
    const res = await sendLogout(buildLogoutRequest({ sessionIndex: '_not-this-session' }));
    assert.equal(readDataCode(res.text), 'IDP_LOGOUT_UNKNOWN_PRINCIPAL');
    assert.equal(await isSignedIn(), true);
  });

  test("the app's own LogoutRequest naming the session ends it and is answered at the Logout Url", async () => {
    const xml = buildLogoutRequest({
      id: '_lo-ok',
      nameId: 'b.simon@CONTOSO.com',
      sessionIndex,
      destination: `${IDP_BASE_URL}/${idp.tenantId}/saml2`,
    });
    const res = await sendLogout(xml);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location ?? '');
    assert.equal(`${location.origin}${location.pathname}`, SP_LOGOUT_URL);
    const answer = parseXmlSafely(decodeRedirectBinding(location.searchParams.get('SAMLResponse') ?? '', 65536));
    assert.equal(answer.documentElement.localName, 'LogoutResponse');
    assert.equal(readAttribute(answer.documentElement, 'InResponseTo'), '_lo-ok');
    assert.equal(await isSignedIn(), false);
  });

  test('without a SessionIndex, the NameID alone names the session; the tenant may be named by its domain', async () => {
    const res = await sendLogout(buildLogoutRequest({ id: '_lo-domain', destination: `${IDP_BASE_URL}/contoso.com/saml2` }), 'contoso.com');
    assert.equal(res.status, 302);
    assert.equal(await isSignedIn(), false);
  });
});
