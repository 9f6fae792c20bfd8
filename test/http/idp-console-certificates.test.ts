import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { parseIdpMetadata } from '../../src/core/saml/metadata.js';
import { ConsoleAgent, readDataField, readFieldErrors, readInputValue } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';
import { idp1, spEncryption } from '../_helpers/test-keys.js';

/** Reads a response body as bytes, whatever its type. */
function readBytes(
  res: { on(event: string, listener: (chunk: Buffer) => void): unknown },
  callback: (err: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

function readCertRows(html: string): { id: string; status: string }[] {
  return [...html.matchAll(/<tr data-cert-id="([^"]+)" data-status="([^"]+)">/g)].map((m) => ({ id: m[1] ?? '', status: m[2] ?? '' }));
}

describe('mock Entra console: SAML Certificates', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;
  let saml: string;
  const api = () => `/api/tenants/${idp.tenantId}/apps/${idp.appId}`;

  before(async () => {
    idp = await createTestIdp();
    saml = `/admin/${idp.tenantId}/apps/${idp.appId}/sso/saml`;
    c = new ConsoleAgent(idp.app);
  });
  after(() => idp.close());

  test('the section shows the active certificate and the App Federation Metadata Url', async () => {
    const page = await c.open(saml);
    const info = describeCertificate(idp1.cert);
    assert.equal(readDataField(page.text, 'certStatus'), 'Active');
    assert.equal(readDataField(page.text, 'thumbprint'), info.thumbprint);
    assert.equal(readDataField(page.text, 'expiration'), info.notAfter);
    assert.equal(
      readInputValue(page.text, 'appFederationMetadataUrl'),
      `http://idp.test/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${idp.appId}`,
    );
    assert.match(page.text, /<input id="appFederationMetadataUrl" type="text" value="[^"]+" readonly>/);
    assert.match(page.text, /data-copy-target="appFederationMetadataUrl"/);
  });

  test('downloads: Certificate (Base64), Certificate (Raw) and Federation Metadata XML', async () => {
    const info = describeCertificate(idp1.cert);
    const base64 = await c.agent.get(`${saml}/certificate/base64`).buffer(true).parse(readBytes);
    assert.equal(base64.status, 200);
    assert.match(base64.headers['content-type'] ?? '', /^application\/x-pem-file/);
    assert.match(base64.headers['content-disposition'] ?? '', /^attachment; filename="?Mimecast\.cer"?$/);
    assert.equal((base64.body as Buffer).toString('utf8'), info.pem);

    const raw = await c.agent.get(`${saml}/certificate/raw`).buffer(true).parse(readBytes);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'application/pkix-cert');
    assert.deepEqual(raw.body as Buffer, Buffer.from(info.base64, 'base64'));

    const xml = await c.agent.get(`${saml}/federation-metadata.xml`).buffer(true).parse(readBytes);
    assert.equal(xml.status, 200);
    assert.match(xml.headers['content-type'] ?? '', /^application\/xml/);
    assert.match(xml.headers['content-disposition'] ?? '', /^attachment; filename="?Mimecast\.xml"?$/);
    const meta = parseIdpMetadata((xml.body as Buffer).toString('utf8'), { now: idp.clock.now() });
    assert.equal(meta.documentSignature.verified, true);

    assert.equal((await c.agent.get(`${saml}/certificate/base64?cert=nope`)).status, 404);
    assert.equal((await c.agent.get(`${saml}/certificate/pfx`)).status, 404);
  });

  test('rotation in the pane: New Certificate, then Make certificate active; the metadata follows', async () => {
    const pane = `${saml}/certificates`;
    await c.open(pane);
    const refused = await request(idp.app).post(`${pane}/new`);
    assert.equal(refused.status, 403);

    const added = await c.submit(`${pane}/new`, {});
    assert.equal(added.status, 303);
    const rows = readCertRows((await c.open(added.headers.location ?? '')).text);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['Active', 'Inactive'],
    );
    const fresh = rows[1]?.id ?? '';

    const activated = await c.submit(`${pane}/${fresh}/activate`, {});
    assert.equal(activated.status, 303);
    const after = readCertRows((await c.open(pane)).text);
    assert.deepEqual(
      after.map((r) => [r.id, r.status]),
      [
        [fresh, 'Active'],
        [rows[0]?.id, 'Inactive'],
      ],
    );

    const app = (await request(idp.app).get(api())).body;
    const newThumbprint = app.certificates.find((x: { id: string }) => x.id === fresh).thumbprint;
    const url = `/${idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${idp.appId}`;
    const meta = parseIdpMetadata((await request(idp.app).get(url).buffer(true)).text, { now: idp.clock.now() });
    assert.equal(meta.documentSignature.verifiedBy, newThumbprint);
    // Query keys are read case-insensitively: ?AppId= is still the app's document, not the tenant's.
    const mixedCase = parseIdpMetadata((await request(idp.app).get(url.replace('?appid=', '?AppId=')).buffer(true)).text, {
      now: idp.clock.now(),
    });
    assert.equal(mixedCase.documentSignature.verifiedBy, newThumbprint);
    assert.deepEqual(
      meta.signingCertificates.map((x) => x.thumbprint),
      [newThumbprint, describeCertificate(idp1.cert).thumbprint],
    );
    assert.equal(readDataField((await c.open(saml)).text, 'thumbprint'), newThumbprint);

    await c.submit(`${pane}/${rows[0]?.id}/activate`, {});
  });

  test('Signing Option, Signing Algorithm and Notification Email: saved, or refused with the choices kept', async () => {
    const pane = `${saml}/certificates`;
    const page = await c.open(pane);
    assert.match(page.text, /<option value="assertion" selected>Sign SAML assertion<\/option>/);
    assert.match(page.text, /<option value="sha256" selected>SHA-256<\/option>/);

    const bad = await c.submit(pane, {
      signingOption: 'response-and-assertion',
      signingAlgorithm: 'md5',
      notificationEmail: 'not-an-email',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(readFieldErrors(bad.text), [
      { field: 'signingAlgorithm', code: 'invalid-choice' },
      { field: 'notificationEmail', code: 'invalid-email' },
    ]);
    assert.match(bad.text, /<option value="response-and-assertion" selected>/);
    assert.equal(readInputValue(bad.text, 'notificationEmail'), 'not-an-email');

    const ok = await c.submit(pane, { signingOption: 'response', signingAlgorithm: 'sha1', notificationEmail: 'admin@contoso.com' });
    assert.equal(ok.status, 303);
    const app = (await request(idp.app).get(api())).body;
    assert.equal(app.signingOption, 'response');
    assert.equal(app.signingAlgorithm, 'sha1');
    assert.equal(app.notificationEmail, 'admin@contoso.com');
    assert.equal(readDataField((await c.open(saml)).text, 'notificationEmail'), 'admin@contoso.com');
    await c.submit(pane, { signingOption: 'assertion', signingAlgorithm: 'sha256', notificationEmail: '' });
  });

  test('token encryption certificate: refused when not a certificate, then on, then off', async () => {
    const path = `${saml}/encryption`;
    await c.open(path);
    const bad = await c.submit(path, { tokenEncryptionCertificate: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' });
    assert.equal(bad.status, 400);
    assert.deepEqual(readFieldErrors(bad.text), [{ field: 'tokenEncryptionCertificate', code: 'invalid-certificate' }]);
    assert.match(bad.text, /nope/);

    const on = await c.submit(path, { tokenEncryptionCertificate: spEncryption.cert });
    assert.equal(on.status, 303);
    assert.equal(readDataField((await c.open(saml)).text, 'encryptionStatus'), 'Active');
    assert.equal((await request(idp.app).get(api())).body.tokenEncryption.active, true);

    const off = await c.submit(path, { tokenEncryptionCertificate: '' });
    assert.equal(off.status, 303);
    assert.equal((await request(idp.app).get(api())).body.tokenEncryption.active, false);
  });
});
