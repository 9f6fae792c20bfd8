import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { decodeRedirectBinding, encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { NS } from '../../src/core/saml/constants.js';
import { parseIdpMetadata } from '../../src/core/saml/metadata.js';
import { parseXmlSafely, readAttribute } from '../../src/core/saml/xml.js';
import { answerStaySignedIn, createTestIdp, DEFAULT_ACS_URL, DEFAULT_IDENTIFIER, type TestIdp } from '../_helpers/idp-harness.js';
import { idp1, idp2 } from '../_helpers/test-keys.js';

function readHidden(html: string, name: string): string | null {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? (match[1] ?? '').replaceAll('&amp;', '&') : null;
}

async function signInVia(agent: ReturnType<typeof request.agent>, html: string, idp: TestIdp) {
  const tx = readHidden(html, 'tx');
  assert.ok(tx);
  await agent.post('/login').type('form').send({ tx, loginfmt: idp.user.userPrincipalName });
  return answerStaySignedIn(
    agent,
    await agent.post('/login/password').type('form').send({ tx, loginfmt: idp.user.userPrincipalName, passwd: idp.user.password }),
  );
}

describe('mock Entra metadata, IdP-initiated sign-in, My Apps, logout and API', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp({ spAcsUrl: DEFAULT_ACS_URL, identifier: DEFAULT_IDENTIFIER });
  });
  after(() => idp.close());
  const api = (path: string) => `/api/tenants/${idp.tenantId}/apps/${idp.appId}${path}`;

  test('app metadata: BOM, verified signature, both certificates after adding idp-signing-2, rotation', async () => {
    const added = await request(idp.app).post(api('/certificates')).send({ pem: idp2.cert, keyPem: idp2.key });
    assert.equal(added.status, 201);
    const url = `/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${idp.appId}`;
    const res = await request(idp.app)
      .get(url)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
      });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^application\/xml/);
    const xml = res.body as string;
    assert.equal(xml.charCodeAt(0), 0xfeff);
    const meta = parseIdpMetadata(xml, { now: idp.clock.now() });
    assert.equal(meta.hadBom, true);
    assert.equal(meta.documentSignature.verified, true);
    assert.equal(meta.entityId, `https://sts.windows.net/${idp.tenantId}/`);
    const prints = meta.signingCertificates.map((c) => c.thumbprint);
    assert.deepEqual(prints, [describeCertificate(idp1.cert).thumbprint, describeCertificate(idp2.cert).thumbprint]);
    assert.equal(meta.documentSignature.verifiedBy, describeCertificate(idp1.cert).thumbprint);

    const activated = await request(idp.app).post(api(`/certificates/${added.body.certificateId}/activate`));
    assert.equal(activated.status, 200);
    const rotated = parseIdpMetadata((await request(idp.app).get(url).buffer(true)).text, { now: idp.clock.now() });
    assert.equal(rotated.documentSignature.verifiedBy, describeCertificate(idp2.cert).thumbprint);
    await request(idp.app)
      .post(api(`/certificates/${activated.body.certificates[0].id}/activate`))
      .expect(200);
  });

  test('tenant-wide metadata, and 404 for an unknown tenant or app', async () => {
    const ok = await request(idp.app).get(`/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml`).buffer(true);
    assert.equal(ok.status, 200);
    const tenantWide = parseIdpMetadata(ok.text, { now: idp.clock.now() });
    assert.equal(tenantWide.documentSignature.verified, true);
    // The tenant's own keys, as Entra lists them there: several, one expired, never the app's certificate.
    const certs = tenantWide.signingCertificates;
    assert.equal(certs.length, 3);
    assert.ok(certs.every((c) => c.subject.startsWith('CN=accounts.accesscontrol.windows.net')));
    assert.ok(certs.some((c) => Date.parse(c.notAfter) < idp.clock.now().getTime()));
    const appCerts = (await request(idp.app).get(api('')).expect(200)).body.certificates.map((c: { thumbprint: string }) => c.thumbprint);
    assert.ok(certs.every((c) => !appCerts.includes(c.thumbprint)));
    const again = parseIdpMetadata(
      (await request(idp.app).get(`/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml`).buffer(true)).text,
      { now: idp.clock.now() },
    );
    assert.deepEqual(
      again.signingCertificates.map((c) => c.pem),
      tenantWide.signingCertificates.map((c) => c.pem),
      'kept with the tenant',
    );
    const noTenant = await request(idp.app).get('/nobody.example/federationmetadata/2007-06/federationmetadata.xml');
    assert.equal(noTenant.status, 404);
    const noApp = await request(idp.app).get(
      `/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=00000000-0000-4000-8000-000000000000`,
    );
    assert.equal(noApp.status, 404);
  });

  test('"Test this application" posts an unsolicited response with the Relay State to the default reply URL', async () => {
    await request(idp.app).patch(api('')).send({ relayState: '/portal/inbox' }).expect(200);
    const agent = request.agent(idp.app);
    const start = await agent.get(`/apps/${idp.appId}/test`);
    assert.equal(start.status, 200);
    const done = await signInVia(agent, start.text, idp);
    assert.match(done.text, new RegExp(`action="${DEFAULT_ACS_URL}"`));
    assert.equal(readHidden(done.text, 'RelayState'), '/portal/inbox');
    const doc = parseXmlSafely(Buffer.from(readHidden(done.text, 'SAMLResponse') ?? '', 'base64').toString('utf8'));
    assert.equal(readAttribute(doc.documentElement, 'InResponseTo'), null);
    assert.equal(readAttribute(doc.documentElement, 'Destination'), DEFAULT_ACS_URL);
  });

  test('My Apps shows a tile per assigned app: IdP-initiated without a Sign on URL, SP-initiated with one', async () => {
    const agent = request.agent(idp.app);
    const start = await agent.get('/myapps');
    const signedIn = await signInVia(agent, start.text, idp);
    assert.equal(signedIn.status, 303);
    const page = await agent.get('/myapps');
    assert.match(page.text, new RegExp(`data-app-id="${idp.appId}" data-mode="idp"><a href="/apps/${idp.appId}/test"`));
    await request(idp.app).patch(api('')).send({ signOnUrl: 'http://sp.test/login/saml/start' }).expect(200);
    const again = await agent.get('/myapps');
    assert.match(again.text, /data-mode="sp"><a href="http:\/\/sp.test\/login\/saml\/start"/);
  });

  test('a LogoutRequest ends the IdP session and redirects a LogoutResponse to the Logout Url', async () => {
    await request(idp.app).patch(api('')).send({ logoutUrl: 'http://sp.test/logout/saml' }).expect(200);
    const agent = request.agent(idp.app);
    await signInVia(agent, (await agent.get('/myapps')).text, idp);
    const logout = `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_lo-1" Version="2.0" IssueInstant="2027-03-01T10:00:00Z"><saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer><saml:NameID>${idp.user.userPrincipalName}</saml:NameID></samlp:LogoutRequest>`;
    const res = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeRedirectBinding(logout) });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'http://sp.test/logout/saml');
    const doc = parseXmlSafely(decodeRedirectBinding(location.searchParams.get('SAMLResponse') ?? '', 65536));
    assert.equal(doc.documentElement.localName, 'LogoutResponse');
    assert.equal(readAttribute(doc.documentElement, 'InResponseTo'), '_lo-1');
    const afterLogout = await agent.get('/myapps');
    assert.match(afterLogout.text, /name="loginfmt"/);
  });

  test('API: tenants, users, apps, duplicate identifier, assignments and validation errors', async () => {
    const tenants = await request(idp.app).get('/api/tenants').expect(200);
    assert.equal(tenants.body[0].tenantId, idp.tenantId);
    const user = await request(idp.app)
      .post(`/api/tenants/${idp.tenantId}/users`)
      .send({ userPrincipalName: 'Alex@contoso.com', displayName: 'Alex', password: 'x-Test-only-1' });
    assert.equal(user.status, 201);
    const dup = await request(idp.app)
      .post(`/api/tenants/${idp.tenantId}/users`)
      .send({ userPrincipalName: 'alex@CONTOSO.com', displayName: 'Alex', password: 'x' });
    assert.equal(dup.body.error, 'IDP_USER_EXISTS');
    const clash = await request(idp.app)
      .post(`/api/tenants/${idp.tenantId}/apps`)
      .send({ template: 'mimecast', identifiers: [DEFAULT_IDENTIFIER] });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error, 'IDP_IDENTIFIER_IN_USE');
    assert.equal(clash.body.message, 'Please enter an identifier which is unique within your organization.');
    const bad = await request(idp.app)
      .post(`/api/tenants/${idp.tenantId}/apps`)
      .send({ template: 'mimecast', replyUrls: ['javascript:alert(1)'] });
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    const assigned = await request(idp.app).post(api('/assignments')).send({ userPrincipalName: 'Alex@contoso.com' });
    assert.equal(assigned.status, 201);
    assert.equal(assigned.body.assignedUserIds.length, 2);
    assert.equal(JSON.stringify(assigned.body).includes('PRIVATE KEY'), false);
    const removed = await request(idp.app).delete(api('/assignments/Alex@contoso.com')).expect(200);
    assert.equal(removed.body.assignedUserIds.length, 1);
    await request(idp.app).delete(`/api/tenants/${idp.tenantId}/users/Alex@contoso.com`).expect(204);
    const missing = await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps/00000000-0000-4000-8000-000000000000`);
    assert.equal(missing.body.error, 'IDP_APP_NOT_FOUND');
    const notJson = await request(idp.app).post('/api/tenants').type('text').send('x');
    assert.equal(notJson.status, 415);
  });
});
