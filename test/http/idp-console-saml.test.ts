import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createMimecastApp } from '../../src/core/idp/admin.js';
import { beginIdpInitiatedSignIn, completeSignIn } from '../../src/core/idp/sso.js';
import { NAMEID_FORMAT, NS } from '../../src/core/saml/constants.js';
import { descendantElements, parseXmlSafely } from '../../src/core/saml/xml.js';
import { ConsoleAgent, readDataField, readFieldErrors, readInputValue, readInputValues } from '../_helpers/idp-console.js';
import { createTestIdp, DEFAULT_IDENTIFIER, type TestIdp } from '../_helpers/idp-harness.js';

const SP_ACS = 'https://eu-api.mimecast.com/login/saml';

describe('mock Entra console: Single sign-on with SAML', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;
  let appId: string;
  let appBase: string;
  const api = () => `/api/tenants/${idp.tenantId}/apps/${appId}`;

  before(async () => {
    idp = await createTestIdp();
    appId = (await createMimecastApp(idp.ctx, idp.tenantId)).appId;
    appBase = `/admin/${idp.tenantId}/apps/${appId}`;
    c = new ConsoleAgent(idp.app);
  });
  after(() => idp.close());

  test('a new app: the method picker, an empty configuration and a greyed Test', async () => {
    const select = await c.open(`${appBase}/sso`);
    assert.match(select.text, new RegExp(`href="${appBase}/sso/saml" id="sso-saml"`));
    const page = await c.open(`${appBase}/sso/saml`);
    assert.match(page.text, /<button type="button" id="test-sso-button" disabled/);
    assert.equal(readDataField(page.text, 'identifiers'), 'Required');
    const test = await c.open(`${appBase}/sso/saml/test`, 303);
    assert.equal(test.headers.location, `${appBase}/sso/saml`);
    const form = await c.open(`${appBase}/sso/saml/basic`);
    assert.deepEqual(readInputValues(form.text, 'identifier'), ['']);
    assert.deepEqual(readInputValues(form.text, 'replyUrl'), ['']);
  });

  test('Basic SAML Configuration: every problem at once, beside its field, with what was typed kept', async () => {
    const typed = {
      identifier: ['not a uri', ''],
      defaultIdentifier: '0',
      replyUrl: ['http://sp.example.com/login/saml', 'notaurl'],
      defaultReplyUrl: '0',
      signOnUrl: 'ftp://files.example.com/',
      relayState: '/portal',
      logoutUrl: 'javascript:alert(1)',
      action: 'save',
    };
    const res = await c.submit(`${appBase}/sso/saml/basic`, typed);
    assert.equal(res.status, 400);
    assert.deepEqual(readFieldErrors(res.text), [
      { field: 'identifier-0', code: 'invalid-uri' },
      { field: 'reply-url-0', code: 'insecure-scheme' },
      { field: 'reply-url-1', code: 'invalid-url' },
      { field: 'signOnUrl', code: 'invalid-url' },
      { field: 'logoutUrl', code: 'invalid-url' },
    ]);
    assert.deepEqual(readInputValues(res.text, 'identifier'), ['not a uri', '']);
    assert.deepEqual(readInputValues(res.text, 'replyUrl'), ['http://sp.example.com/login/saml', 'notaurl']);
    assert.equal(readInputValue(res.text, 'logoutUrl'), 'javascript:alert(1)');
    assert.equal(readInputValue(res.text, 'relayState'), '/portal');
    assert.match(res.text, /id="reply-url-0"[^>]*aria-invalid="true"/);
    assert.deepEqual((await request(idp.app).get(api())).body.identifiers, [], 'nothing was saved');

    const empty = await c.submit(`${appBase}/sso/saml/basic`, { identifier: '', replyUrl: '', action: 'save' });
    assert.equal(empty.status, 400);
    assert.deepEqual(readFieldErrors(empty.text), [
      { field: 'identifier-0', code: 'required' },
      { field: 'reply-url-0', code: 'required' },
    ]);
  });

  test("a duplicate identifier gets Entra's message (409) and the form keeps its values", async () => {
    const res = await c.submit(`${appBase}/sso/saml/basic`, {
      identifier: ['https://example.com/other', DEFAULT_IDENTIFIER.toUpperCase().replace('HTTPS', 'https')],
      defaultIdentifier: '0',
      replyUrl: SP_ACS,
      signOnUrl: 'https://eu-api.mimecast.com/login/saml',
      action: 'save',
    });
    assert.equal(res.status, 409);
    assert.deepEqual(readFieldErrors(res.text), [{ field: 'identifier-1', code: 'in-use' }]);
    assert.match(res.text, /Please enter an identifier which is unique within your organization\./);
    assert.match(
      res.text,
      new RegExp(`data-error="in-use" data-field="identifier-1">[^<]*<span class="hint">[^<]*${idp.appId}`),
      'the hint names the app that has it',
    );
    assert.deepEqual(readInputValues(res.text, 'replyUrl'), [SP_ACS]);
    assert.equal(readInputValue(res.text, 'signOnUrl'), 'https://eu-api.mimecast.com/login/saml');
  });

  test('"Add identifier" and "Delete" change the rows without saving', async () => {
    const fields = { identifier: ['urn:a', 'urn:b'], defaultIdentifier: '1', replyUrl: SP_ACS, defaultReplyUrl: '0' };
    const added = await c.submit(`${appBase}/sso/saml/basic`, { ...fields, action: 'add-identifier' });
    assert.equal(added.status, 200);
    assert.deepEqual(readInputValues(added.text, 'identifier'), ['urn:a', 'urn:b', '']);
    const removed = await c.submit(`${appBase}/sso/saml/basic`, { ...fields, action: 'remove-identifier-0' });
    assert.deepEqual(readInputValues(removed.text, 'identifier'), ['urn:b']);
    assert.match(removed.text, /name="defaultIdentifier" value="0" checked/, 'the default stays on urn:b');
    const reply = await c.submit(`${appBase}/sso/saml/basic`, { ...fields, action: 'add-reply-url' });
    assert.deepEqual(readInputValues(reply.text, 'replyUrl'), [SP_ACS, '']);
    assert.deepEqual((await request(idp.app).get(api())).body.identifiers, []);
  });

  test('Save: default identifier first, the default reply URL, loopback http accepted, then Test signs in IdP-initiated', async () => {
    const res = await c.submit(`${appBase}/sso/saml/basic`, {
      identifier: ['urn:mimecast:second', 'https://eu-api.mimecast.com/sso/CUK99Z88'],
      defaultIdentifier: '1',
      replyUrl: [SP_ACS, 'http://127.0.0.1:3000/login/saml', 'http://localhost:3000/login/saml', 'http://[::1]:3000/login/saml', ''],
      defaultReplyUrl: '2',
      signOnUrl: '',
      relayState: '/portal/inbox',
      logoutUrl: 'http://localhost:3000/logout/saml',
      action: 'save',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${appBase}/sso/saml?notice=basic`);
    const app = (await request(idp.app).get(api())).body;
    assert.deepEqual(app.identifiers, ['https://eu-api.mimecast.com/sso/CUK99Z88', 'urn:mimecast:second']);
    assert.equal(app.replyUrls.length, 4);
    assert.equal(app.defaultReplyUrl, 'http://localhost:3000/login/saml');
    assert.equal(app.signOnUrl, null);
    assert.equal(app.relayState, '/portal/inbox');

    const page = await c.open(`${appBase}/sso/saml`);
    assert.match(page.text, /<a class="button" href="[^"]+\/sso\/saml\/test" id="test-sso-button" data-mode="idp">/);
    assert.equal(
      readInputValue(page.text, 'appFederationMetadataUrl'),
      `http://idp.test/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${appId}`,
    );
    assert.equal(readInputValue(page.text, 'loginUrl'), `http://idp.test/${idp.tenantId}/saml2`);
    assert.equal(readInputValue(page.text, 'entraIdentifier'), `https://sts.windows.net/${idp.tenantId}/`);
    assert.equal(readInputValue(page.text, 'logoutUrl'), `http://idp.test/${idp.tenantId}/saml2`);
    // Test opens the "Test single sign-on" pane; "Test sign in" then signs in IdP-initiated.
    const pane = await c.open(`${appBase}/sso/saml/test`);
    assert.match(pane.text, /<h2 id="test-heading">Test single sign-on with /);
    assert.match(pane.text, /name="as" value="current" id="test-as-current" checked/);
    assert.match(pane.text, /name="as" value="someone-else"/);
    assert.match(pane.text, /data-mode="idp"/);
    const test = await c.submit(`${appBase}/sso/saml/test`, { as: 'current' });
    assert.equal(test.status, 303);
    assert.equal(test.headers.location, `/apps/${appId}/test`);
    assert.equal((await c.open(`${appBase}/sso`, 303)).headers.location, `${appBase}/sso/saml`);
  });

  test('with a Sign on URL, Test goes there (SP-initiated)', async () => {
    const form = await c.open(`${appBase}/sso/saml/basic`);
    const res = await c.submit(`${appBase}/sso/saml/basic`, {
      identifier: readInputValues(form.text, 'identifier'),
      replyUrl: readInputValues(form.text, 'replyUrl'),
      defaultReplyUrl: '2',
      signOnUrl: 'http://localhost:3000/sso/CUK99Z88',
      action: 'save',
    });
    assert.equal(res.status, 303);
    assert.match((await c.open(`${appBase}/sso/saml/test`)).text, /data-mode="sp"/);
    assert.equal((await c.submit(`${appBase}/sso/saml/test`, { as: 'current' })).headers.location, 'http://localhost:3000/sso/CUK99Z88');
    const page = await c.open(`${appBase}/sso/saml`);
    assert.match(page.text, /id="test-sso-button" data-mode="sp"/);
  });

  test('Attributes & Claims: the Name ID source and format, with a wrong choice refused', async () => {
    const page = await c.open(`${appBase}/sso/saml/claims`);
    assert.match(page.text, /<option value="user.userprincipalname" selected>/);
    const bad = await c.submit(`${appBase}/sso/saml/claims`, { nameIdSource: 'user.password', nameIdFormat: NAMEID_FORMAT.persistent });
    assert.equal(bad.status, 400);
    assert.deepEqual(readFieldErrors(bad.text), [{ field: 'nameIdSource', code: 'invalid-choice' }]);
    assert.match(bad.text, new RegExp(`<option value="${NAMEID_FORMAT.persistent}" selected>`));
    const ok = await c.submit(`${appBase}/sso/saml/claims`, { nameIdSource: 'user.mail', nameIdFormat: NAMEID_FORMAT.persistent });
    assert.equal(ok.status, 303);
    const app = (await request(idp.app).get(api())).body;
    assert.equal(app.nameIdSource, 'user.mail');
    assert.equal(app.nameIdFormat, NAMEID_FORMAT.persistent);
    assert.equal(readDataField((await c.open(`${appBase}/sso/saml/claims`)).text, 'nameId'), 'user.mail [Persistent]');
  });

  test('Attributes & Claims: add a claim, a duplicate refused beside its field with what was typed, then delete one', async () => {
    const page = await c.open(`${appBase}/sso/saml/claims`);
    assert.match(page.text, /data-claim="http:\/\/schemas.xmlsoap.org\/ws\/2005\/05\/identity\/claims\/givenname"/);

    const added = await c.submit(`${appBase}/sso/saml/claims/additional`, {
      claimName: 'department',
      claimNamespace: 'https://contoso.com/claims',
      claimSource: 'user.displayname',
    });
    assert.equal(added.status, 303);
    assert.match((await c.open(`${appBase}/sso/saml/claims?saved=added`)).text, /data-claim="https:\/\/contoso.com\/claims\/department"/);

    const twice = await c.submit(`${appBase}/sso/saml/claims/additional`, {
      claimName: 'department',
      claimNamespace: 'https://contoso.com/claims/',
      claimSource: 'user.mail',
    });
    assert.equal(twice.status, 400);
    assert.deepEqual(readFieldErrors(twice.text), [{ field: 'claimName', code: 'duplicate' }]);
    assert.equal(readInputValue(twice.text, 'claimNamespace'), 'https://contoso.com/claims/');
    const blank = await c.submit(`${appBase}/sso/saml/claims/additional`, {
      claimName: '',
      claimNamespace: 'not a uri',
      claimSource: 'user.password',
    });
    assert.deepEqual(
      readFieldErrors(blank.text)
        .map((e) => `${e.field}:${e.code}`)
        .sort(),
      ['claimName:required', 'claimNamespace:invalid-uri', 'claimSource:invalid-choice'],
    );

    const deleted = await c.submit(`${appBase}/sso/saml/claims/additional/delete`, {
      claim: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    });
    assert.equal(deleted.status, 303);
    const claims = (await request(idp.app).get(api())).body.additionalClaims as { name: string; namespace: string; source: string }[];
    assert.deepEqual(
      claims.map((cl) => cl.name),
      ['surname', 'emailaddress', 'name', 'department'],
    );
    // An unknown claim changes nothing.
    await c.submit(`${appBase}/sso/saml/claims/additional/delete`, { claim: 'urn:nothing' });
    assert.equal((await request(idp.app).get(api())).body.additionalClaims.length, 4);
  });

  test('Additional claims set through the API reach the assertion; a bad list is refused whole', async () => {
    const path = `/api/tenants/${idp.tenantId}/apps/${idp.appId}`;
    const bad = await request(idp.app)
      .patch(path)
      .send({
        additionalClaims: [
          { name: 'email', source: 'user.mail' },
          { name: 'email', namespace: '', source: 'user.userprincipalname' },
        ],
      });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    const ok = await request(idp.app)
      .patch(path)
      .send({ additionalClaims: [{ name: 'email', source: 'user.mail' }] });
    assert.equal(ok.status, 200);
    const pending = await beginIdpInitiatedSignIn(idp.ctx, idp.appId);
    const outcome = await completeSignIn(idp.ctx, pending, {
      tenantId: idp.tenantId,
      objectId: idp.objectId,
      userPrincipalName: idp.user.userPrincipalName,
      authMethod: 'password',
      authnInstant: idp.clock.now().toISOString(),
    });
    assert.equal(outcome.kind, 'post');
    const names =
      outcome.kind === 'post'
        ? descendantElements(parseXmlSafely(outcome.xml), NS.saml, 'Attribute').map((a) => a.getAttribute('Name'))
        : [];
    assert.ok(names.includes('email'));
    assert.ok(!names.includes('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'));
    assert.ok(names.includes('http://schemas.microsoft.com/identity/claims/tenantid'), "Entra's own claims stay");
  });

  test('a save without the CSRF token is refused (403) and changes nothing', async () => {
    const res = await request(idp.app)
      .post(`${appBase}/sso/saml/basic`)
      .type('form')
      .send({ identifier: 'urn:x', replyUrl: SP_ACS, action: 'save' });
    assert.equal(res.status, 403);
    assert.match(res.text, /data-code="CSRF_TOKEN_INVALID"/);
    assert.notDeepEqual((await request(idp.app).get(api())).body.identifiers, ['urn:x']);
  });
});
