import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildFederationMetadata } from '../../src/core/idp/federation-metadata.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { buildEntraIssuer } from '../../src/core/saml/constants.js';
import { createDocumentFetcher } from '../../src/net/fetch-document.js';
import { TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';
import { idp1, idp2 } from '../_helpers/test-keys.js';

const CODE = 'CUK12A34';
const FORM = `/accounts/${CODE}/authentication-profiles/profile`;
const IMPORT = `${FORM}/import`;
const APP_ID = '00000000-0000-4000-8000-0000000000aa';

/** Text of an HTML attribute or element as the browser reads it (nunjucks escapes these five). */
function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function readCsrf(html: string): string {
  const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)?.[1];
  assert.ok(token, 'the page carries the form token');
  return token;
}

/** The value of the input with this id. */
function readInput(html: string, id: string): string | null {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0];
  const value = tag === undefined ? undefined : /value="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? null : decodeHtml(value);
}

function isChecked(html: string, id: string): boolean {
  return new RegExp(`<input type="checkbox" id="${id}"[^>]*\\schecked>`).test(html);
}

function readTextarea(html: string, id: string): string {
  return decodeHtml(new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');
}

/** The problem shown beside a field: its catalogue code, or null when the field has none. */
function readFieldErrorCode(html: string, field: string): string | null {
  return new RegExp(`<div id="${field}-error"[\\s\\S]*?<p class="error-code">([A-Z_0-9]+)</p>`).exec(html)?.[1] ?? null;
}

/** Codes of Import's findings beside the Metadata URL. */
function readFindingCodes(html: string): string[] {
  const list = /<ul class="findings" id="metadataUrl-findings">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<span class="error-code">([A-Z_0-9]+)<\/span>/g)].map((m) => m[1] as string);
}

/** The form as a browser would post it after the person's edits. */
function buildForm(token: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const form: Record<string, string | undefined> = {
    _csrf: token,
    description: 'Entra ID SSO',
    enforceAdminConsole: 'on',
    enforcePersonalPortal: 'on',
    enforceEndUserApps: 'on',
    provider: 'entra',
    metadataUrl: '',
    issuerUrl: ENTRA_PROFILE.issuerUrl ?? '',
    loginUrl: ENTRA_PROFILE.loginUrl ?? '',
    logoutUrl: ENTRA_PROFILE.logoutUrl ?? '',
    idpCertificates: idp1.cert,
    allowSingleSignOn: 'on',
    requestBinding: 'post',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A stand-in for Entra's metadata endpoint on loopback: app metadata with ?appid=, tenant-wide without. */
function startMetadataServer(): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== `/${TEST_TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml`) {
        res.writeHead(404).end();
        return;
      }
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const xml = buildFederationMetadata({
        tenantId: TEST_TENANT_ID,
        idpBaseUrl: base,
        certificates: [idp1.cert, idp2.cert],
        signingKey: idp1.key,
        signingCert: idp1.cert,
        documentId: '_00000000-0000-4000-8000-0000000000bb',
      });
      res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

describe('Administration Console: Authentication Profile', () => {
  let metadata: { server: Server; base: string };
  let sp: TestSp;
  let appMetadataUrl: string;
  before(async () => {
    metadata = await startMetadataServer();
    appMetadataUrl = `${metadata.base}/${TEST_TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml?appid=${APP_ID}`;
  });
  after(() => new Promise<void>((resolve) => metadata.server.close(() => resolve())));
  beforeEach(async () => {
    sp = createTestSp({ fetchDocument: createDocumentFetcher({ timeoutMs: 5000, maxBytes: 1024 * 1024, allowedHosts: ['127.0.0.1'] }) });
    await sp.seedAccount({ code: CODE, domains: ['contoso.com'], profile: { ...ENTRA_PROFILE, description: 'Entra ID SSO' } });
  });
  afterEach(() => sp.close());

  /** A browser session with the form open: the agent and the token its page carries. */
  async function openForm() {
    const agent = request.agent(sp.app);
    const page = await agent.get(FORM);
    assert.equal(page.status, 200);
    return { agent, token: readCsrf(page.text), page };
  }

  it('lists the profile with Description, Enforce SAML, Provider and Issuer URL, and links to the form', async () => {
    const res = await request(sp.app).get(`/accounts/${CODE}/authentication-profiles`);
    assert.equal(res.status, 200);
    assert.match(
      res.text,
      /<th scope="col">Description<\/th><th scope="col">Enforce SAML<\/th><th scope="col">Provider<\/th><th scope="col">Issuer URL<\/th>/,
    );
    assert.ok(res.text.includes(`href="${FORM}"`));
    assert.ok(res.text.includes(buildEntraIssuer(TEST_TENANT_ID)));
  });

  it('draws the form from the stored profile', async () => {
    const { page } = await openForm();
    assert.equal(readInput(page.text, 'description'), 'Entra ID SSO');
    assert.equal(readInput(page.text, 'issuerUrl'), ENTRA_PROFILE.issuerUrl);
    assert.equal(isChecked(page.text, 'enforceAdminConsole'), true);
    assert.equal(isChecked(page.text, 'usePasswordProtectedContext'), false);
    assert.match(page.text, /<label for="metadataUrl">Metadata URL<\/label>/);
    assert.ok(page.text.includes(describeCertificate(idp1.cert).thumbprint));
  });

  it('saves on Save and Exit, unticked boxes as off, then shows the list', async () => {
    const { agent, token } = await openForm();
    const form = buildForm(token, {
      description: 'Contoso SSO',
      enforcePersonalPortal: undefined,
      usePasswordProtectedContext: 'on',
      requestBinding: 'redirect',
    });
    const saved = await agent.post(FORM).type('form').send(form);
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/accounts/${CODE}/authentication-profiles?saved=1`);
    const profile = await sp.stores.profiles.get(CODE);
    assert.equal(profile?.description, 'Contoso SSO');
    assert.equal(profile?.enforcePersonalPortal, false);
    assert.equal(profile?.enforceAdminConsole, true);
    assert.equal(profile?.usePasswordProtectedContext, true);
    assert.equal(profile?.requestBinding, 'redirect');
    assert.deepEqual(profile?.idpCertificates.length, 1);
    assert.equal((await agent.get(saved.headers.location as string)).status, 200);
  });

  it('refuses a save or an import without the form token, from a session that holds nothing', async () => {
    const before = await sp.stores.profiles.get(CODE);
    const { agent } = await openForm();
    for (const attempt of [
      request(sp.app).post(FORM).type('form').send(buildForm('')),
      request(sp.app).post(FORM).type('form').send(buildForm('forged')),
      agent.post(FORM).type('form').send(buildForm('forged')),
      request(sp.app)
        .post(IMPORT)
        .type('form')
        .send(buildForm('', { metadataUrl: appMetadataUrl })),
    ]) {
      const res = await attempt;
      assert.equal(res.status, 403);
      assert.match(res.text, /CSRF_TOKEN_INVALID/);
    }
    assert.deepEqual(await sp.stores.profiles.get(CODE), before);
  });

  it('shows each problem beside its field and keeps everything typed', async () => {
    const { agent, token } = await openForm();
    const form = buildForm(token, {
      description: 'Kept <description>',
      loginUrl: 'ftp://nope',
      requestBinding: 'sideways',
      useIntegratedAuthContext: 'on',
      enforceEndUserApps: undefined,
    });
    const res = await agent.post(FORM).type('form').send(form);
    assert.equal(res.status, 400);
    assert.equal(readFieldErrorCode(res.text, 'loginUrl'), 'VALIDATION_FAILED');
    assert.equal(readFieldErrorCode(res.text, 'requestBinding'), 'VALIDATION_FAILED');
    assert.equal(readFieldErrorCode(res.text, 'description'), null);
    assert.match(res.text, /<input id="loginUrl"[^>]*aria-invalid="true"/);
    assert.equal(readInput(res.text, 'description'), 'Kept <description>');
    assert.equal(readInput(res.text, 'loginUrl'), 'ftp://nope');
    assert.equal(isChecked(res.text, 'useIntegratedAuthContext'), true);
    assert.equal(isChecked(res.text, 'enforceEndUserApps'), false);
    assert.equal((await sp.stores.profiles.get(CODE))?.loginUrl, ENTRA_PROFILE.loginUrl);
  });

  it('refuses a pasted certificate that is not one, beside the certificate box, text kept', async () => {
    const { agent, token } = await openForm();
    const pasted = `${idp1.cert}\n-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----`;
    const res = await agent
      .post(FORM)
      .type('form')
      .send(buildForm(token, { idpCertificates: pasted }));
    assert.equal(res.status, 400);
    assert.equal(readFieldErrorCode(res.text, 'idpCertificates'), 'VALIDATION_FAILED');
    assert.equal(readTextarea(res.text, 'idpCertificates').trim(), pasted.trim());
    assert.match(res.text, /<tr class="cert-invalid">/);
  });

  it('Import fills Issuer URL, Login URL, Logout URL and every certificate in place, keeps the rest, saves nothing', async () => {
    const { agent, token } = await openForm();
    const typed = buildForm(token, {
      description: 'Typed first',
      metadataUrl: appMetadataUrl,
      issuerUrl: '',
      loginUrl: '',
      logoutUrl: '',
      idpCertificates: '',
      useIntegratedAuthContext: 'on',
      monitorMetadataUrl: 'on',
    });
    const res = await agent.post(IMPORT).type('form').send(typed);
    assert.equal(res.status, 200);
    assert.equal(readInput(res.text, 'issuerUrl'), buildEntraIssuer(TEST_TENANT_ID));
    assert.equal(readInput(res.text, 'loginUrl'), `${metadata.base}/${TEST_TENANT_ID}/saml2`);
    assert.equal(readInput(res.text, 'logoutUrl'), `${metadata.base}/${TEST_TENANT_ID}/saml2`);
    assert.equal(readInput(res.text, 'metadataUrl'), appMetadataUrl);
    for (const cert of [idp1, idp2]) assert.ok(res.text.includes(describeCertificate(cert.cert).thumbprint));
    assert.equal(readInput(res.text, 'description'), 'Typed first');
    assert.equal(isChecked(res.text, 'useIntegratedAuthContext'), true);
    assert.equal(isChecked(res.text, 'monitorMetadataUrl'), true);
    assert.deepEqual(readFindingCodes(res.text), []);
    assert.match(res.text, /id="import-status"/);
    assert.equal((await sp.stores.profiles.get(CODE))?.metadataUrl, null, 'Import alone saves nothing');

    // Save and Exit with the filled-in form stores what Import found.
    const saved = await agent
      .post(FORM)
      .type('form')
      .send({
        ...typed,
        issuerUrl: readInput(res.text, 'issuerUrl') ?? '',
        loginUrl: readInput(res.text, 'loginUrl') ?? '',
        logoutUrl: readInput(res.text, 'logoutUrl') ?? '',
        idpCertificates: readTextarea(res.text, 'idpCertificates'),
      });
    assert.equal(saved.status, 303);
    const profile = await sp.stores.profiles.get(CODE);
    assert.equal(profile?.metadataUrl, appMetadataUrl);
    assert.equal(profile?.idpCertificates.length, 2);
    assert.equal(profile?.useIntegratedAuthContext, true);
  });

  it('warns beside the Metadata URL when it is the tenant-wide metadata', async () => {
    const { agent, token } = await openForm();
    const tenantWide = `${metadata.base}/${TEST_TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml`;
    const res = await agent
      .post(IMPORT)
      .type('form')
      .send(buildForm(token, { metadataUrl: tenantWide }));
    assert.equal(res.status, 200);
    assert.deepEqual(readFindingCodes(res.text), ['METADATA_TENANT_WIDE']);
  });

  it('warns about an expired certificate and marks it not valid now', async () => {
    sp.clock.set('2037-01-01T00:00:00Z');
    const { agent, token } = await openForm();
    const res = await agent
      .post(IMPORT)
      .type('form')
      .send(buildForm(token, { metadataUrl: appMetadataUrl }));
    assert.equal(res.status, 200);
    assert.ok(readFindingCodes(res.text).includes('METADATA_CERT_EXPIRED'));
    assert.match(res.text, /<tr class="cert-invalid">/);
  });

  it('shows import refusals beside the Metadata URL, with what was typed kept', async () => {
    const { agent, token } = await openForm();
    const cases: [string, string, number][] = [
      ['', 'METADATA_URL_INVALID', 400],
      [`${metadata.base}/nothing-here`, 'METADATA_HTTP_ERROR', 422],
      ['http://127.0.0.1:9/unreachable', 'METADATA_UNREACHABLE', 422],
      ['https://169.254.169.254/latest/meta-data', 'METADATA_ADDRESS_REFUSED', 422],
    ];
    for (const [url, code, status] of cases) {
      const res = await agent
        .post(IMPORT)
        .type('form')
        .send(buildForm(token, { metadataUrl: url, description: 'Still here' }));
      assert.equal(res.status, status, url);
      assert.equal(readFieldErrorCode(res.text, 'metadataUrl'), code, url);
      assert.equal(readInput(res.text, 'metadataUrl'), url);
      assert.equal(readInput(res.text, 'description'), 'Still here');
      assert.equal(readInput(res.text, 'issuerUrl'), ENTRA_PROFILE.issuerUrl);
    }
  });

  it('offers New Authentication Profile when the account has none, and creates it on save', async () => {
    await sp.stores.accounts.create({
      code: 'CDE12345',
      region: 'de',
      name: 'Tailspin',
      domains: ['tailspin.de'],
      createdAt: sp.clock.now().toISOString(),
    });
    const list = await request(sp.app).get('/accounts/CDE12345/authentication-profiles');
    assert.match(list.text, /New Authentication Profile/);
    const agent = request.agent(sp.app);
    const page = await agent.get('/accounts/CDE12345/authentication-profiles/profile');
    assert.match(page.text, /<h1>New Authentication Profile<\/h1>/);
    const saved = await agent
      .post('/accounts/CDE12345/authentication-profiles/profile')
      .type('form')
      .send(buildForm(readCsrf(page.text), { description: 'Tailspin SSO' }));
    assert.equal(saved.status, 303);
    assert.equal((await sp.stores.profiles.get('CDE12345'))?.description, 'Tailspin SSO');
  });

  it('answers 404 for an unknown account', async () => {
    const res = await request(sp.app).get('/accounts/CNOPE123/authentication-profiles/profile');
    assert.equal(res.status, 404);
    assert.match(res.text, /ACCOUNT_NOT_FOUND/);
  });
});
