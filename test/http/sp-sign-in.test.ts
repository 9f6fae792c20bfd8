import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';

const LOGIN_URL = `https://login.microsoftonline.com/${TEST_TENANT_ID}/saml2`;

/** The value of a hidden field in a rendered form, unescaped as a browser would read it. */
function readHiddenField(html: string, name: string): string | null {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  return (
    match?.[1]
      ?.replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&') ?? null
  );
}

describe('SP sign-in pages', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'B.Simon@contoso.com' }] });
    await sp.seedAccount({
      code: 'CUSA5678',
      region: 'us',
      domains: ['fabrikam.com'],
      profile: { ...ENTRA_PROFILE, enforceAdminConsole: false, enforcePersonalPortal: false, enforceEndUserApps: false },
    });
    await sp.seedAccount({ code: 'CDE12345', region: 'de', domains: ['tailspin.de'] });
  });
  afterEach(() => sp.close());

  it('shows "Login to Mimecast" with a labelled Email Address field', async () => {
    const res = await request(sp.app).get('/login/saml');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Login to Mimecast<\/h1>/);
    assert.match(res.text, /<label for="email">Email Address<\/label>/);
    assert.match(res.text, /<button type="submit" class="primary">Next<\/button>/);
  });

  it('says when the person has been signed out', async () => {
    const res = await request(sp.app).get('/login/saml?signedOut=1');
    assert.match(res.text, /You have been signed out/);
  });

  it('keeps the email and shows the error beside the field for an unknown domain', async () => {
    const res = await request(sp.app).get('/login/saml').query({ email: 'someone@nowhere.example' });
    assert.equal(res.status, 404);
    assert.match(res.text, /ACCOUNT_NOT_FOUND_FOR_EMAIL/);
    assert.match(res.text, /value="someone@nowhere.example"/);
    assert.match(res.text, /aria-describedby="email-error"/);
  });

  it('refuses a profile that does not enforce SAML, and an incomplete one', async () => {
    const notEnforced = await request(sp.app).get('/login/saml').query({ email: 'a@fabrikam.com' });
    assert.equal(notEnforced.status, 409);
    assert.match(notEnforced.text, /SAML_NOT_ENFORCED/);
    const incomplete = await request(sp.app).get('/login/saml').query({ email: 'a@tailspin.de' });
    assert.equal(incomplete.status, 409);
    assert.match(incomplete.text, /PROFILE_INCOMPLETE/);
  });

  it('asks for an email when the field was left empty', async () => {
    const res = await request(sp.app).get('/login/saml').query({ email: '' });
    assert.equal(res.status, 400);
    assert.match(res.text, /VALIDATION_FAILED/);
  });

  it('escapes what was typed', async () => {
    const res = await request(sp.app).get('/login/saml').query({ email: '"><script>alert(1)</script>@x.com' });
    assert.equal(res.text.includes('<script>alert(1)</script>'), false);
    assert.match(res.text, /&lt;script&gt;/);
  });

  it('sends the browser to the Login URL with an auto-submitting POST form', async () => {
    const res = await request(sp.app).get('/login/saml').query({ email: 'B.Simon@contoso.com', RelayState: '/portal' });
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`<form id="saml-post" method="post" action="${LOGIN_URL}">`));
    assert.ok(readHiddenField(res.text, 'SAMLRequest'));
    assert.equal(readHiddenField(res.text, 'RelayState'), '/portal');
    assert.match(res.text, /<noscript>[\s\S]*<button type="submit" class="primary">Continue<\/button>[\s\S]*<\/noscript>/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
    assert.ok(nonce);
    assert.ok(res.text.includes(`<script nonce="${nonce}">`));
  });

  it('refuses a RelayState that leaves the site', async () => {
    const res = await request(sp.app).get('/login/saml').query({ email: 'B.Simon@contoso.com', RelayState: 'https://evil.example/' });
    assert.equal(res.status, 400);
    assert.match(res.text, /RELAY_STATE_UNSAFE/);
  });

  it('GET /sso/:code posts a base64 AuthnRequest for the account and remembers its id', async () => {
    const res = await request(sp.app).get('/sso/CUK12A34');
    assert.equal(res.status, 200);
    const samlRequest = readHiddenField(res.text, 'SAMLRequest');
    assert.ok(samlRequest);
    // SAML Bindings 3.5.4: the POST binding carries the message base64-encoded, not deflated.
    const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
    assert.match(xml, /<(\w+:)?AuthnRequest[\s>]/);
    assert.match(xml, /AssertionConsumerServiceURL="http:\/\/sp\.test\/login\/saml"/);
    assert.match(xml, /https:\/\/eu-api\.mimecast\.com\/sso\/CUK12A34/);
    const id = /\sID="([^"]+)"/.exec(xml)?.[1];
    assert.ok(id);
    assert.ok(await sp.stores.pending.get(id));
  });

  it('GET /sso/:code redirects when the profile uses HTTP-Redirect', async () => {
    const profile = await sp.stores.profiles.get('CUK12A34');
    assert.ok(profile);
    await sp.stores.profiles.put({ ...profile, requestBinding: 'redirect' });
    const res = await request(sp.app).get('/sso/CUK12A34');
    assert.equal(res.status, 302);
    assert.ok(res.headers.location?.startsWith(`${LOGIN_URL}?SAMLRequest=`));
  });

  it('GET /sso/:code answers ACCOUNT_NOT_FOUND for an unknown account', async () => {
    const res = await request(sp.app).get('/sso/CNOPE123');
    assert.equal(res.status, 404);
    assert.match(res.text, /ACCOUNT_NOT_FOUND/);
  });

  it('offers the SP metadata as a download', async () => {
    const res = await request(sp.app).get('/sso/CUK12A34/metadata');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^application\/samlmetadata\+xml/);
    assert.match(res.headers['content-disposition'] ?? '', /^attachment; filename="?mimecast-CUK12A34-sp-metadata\.xml"?$/);
    assert.match(res.text, /entityID="https:\/\/eu-api\.mimecast\.com\/sso\/CUK12A34"/);
    const missing = await request(sp.app).get('/sso/CNOPE123/metadata');
    assert.equal(missing.status, 404);
  });

  it('the account page\'s "Download the metadata file" link returns the SP metadata as an attachment', async () => {
    const page = await request(sp.app).get('/accounts/CUK12A34');
    const href = /<a href="([^"]+)" download>Download the metadata file<\/a>/.exec(page.text)?.[1];
    assert.equal(href, '/sso/CUK12A34/metadata');
    const res = await request(sp.app).get(href);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-disposition'] ?? '', /^attachment; filename="?mimecast-CUK12A34-sp-metadata\.xml"?$/);
    const xml = String(res.text);
    assert.match(xml, /^(<\?xml[^>]*\?>\s*)?<(md:)?EntityDescriptor /);
    assert.match(xml, /<(md:)?SPSSODescriptor /);
    assert.match(xml, /<(md:)?AssertionConsumerService [^>]*Location="http:\/\/sp\.test\/login\/saml"/);
  });
});
