import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { AppError } from '../../src/core/errors.js';
import { buildFederationMetadata } from '../../src/core/idp/federation-metadata.js';
import { TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';
import { idp1, idp2 } from '../_helpers/test-keys.js';

const CODE = 'CUK12A34';
const PROFILE_URL = `/api/accounts/${CODE}/profile`;
const IMPORT_URL = `${PROFILE_URL}/import-metadata`;
const METADATA_URL = `http://localhost:3001/${TEST_TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml?appid=00000000-0000-4000-8000-0000000000aa`;

function buildTestMetadata(): string {
  return buildFederationMetadata({
    tenantId: TEST_TENANT_ID,
    idpBaseUrl: 'http://localhost:3001',
    certificates: [idp1.cert, idp2.cert],
    signingKey: idp1.key,
    signingCert: idp1.cert,
    documentId: '_00000000-0000-4000-8000-0000000000bb',
  });
}

describe('SP API: authentication profile', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp({
      fetchDocument: async (url) => {
        if (url !== METADATA_URL) throw new AppError('METADATA_UNREACHABLE');
        return { body: Buffer.from(buildTestMetadata(), 'utf8'), finalUrl: url, contentType: 'application/xml' };
      },
    });
    await request(sp.app)
      .post('/api/accounts')
      .send({ code: CODE, region: 'eu', domains: ['contoso.com'] })
      .expect(201);
  });
  afterEach(() => sp.close());

  it('writes the fields given and keeps the others', async () => {
    const res = await request(sp.app)
      .put(PROFILE_URL)
      .send({
        issuerUrl: `https://sts.windows.net/${TEST_TENANT_ID}/`,
        loginUrl: 'http://localhost:3001/x/saml2',
        usePasswordProtectedContext: true,
      });
    assert.equal(res.status, 200);
    assert.equal(res.body.loginUrl, 'http://localhost:3001/x/saml2');
    assert.equal(res.body.usePasswordProtectedContext, true);
    assert.equal(res.body.enforceAdminConsole, false, "a new profile keeps Mimecast's default for what was not given");
    const again = await request(sp.app).get(PROFILE_URL);
    assert.equal(again.body.issuerUrl, `https://sts.windows.net/${TEST_TENANT_ID}/`);
  });

  it('normalises certificates and describes them', async () => {
    const res = await request(sp.app)
      .put(PROFILE_URL)
      .send({ idpCertificates: [idp1.cert, idp1.cert] });
    assert.equal(res.status, 200);
    assert.equal(res.body.idpCertificates.length, 1);
    assert.match(res.body.certificates[0].thumbprint, /^[0-9A-F]{40}$/);
  });

  it('refuses a certificate that is not one', async () => {
    const res = await request(sp.app)
      .put(PROFILE_URL)
      .send({ idpCertificates: ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.ok(Array.isArray(res.body.details));
  });

  it('refuses a Login URL that is not http(s), a bad provider and unknown keys', async () => {
    const res = await request(sp.app).put(PROFILE_URL).send({ loginUrl: 'javascript:alert(1)', provider: 'adfs', accountCode: 'CXX12345' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_FAILED');
    assert.deepEqual(res.body.details.map((d: { path: string }) => d.path).sort(), ['accountCode', 'loginUrl', 'provider']);
  });

  it('answers ACCOUNT_NOT_FOUND for an unknown account', async () => {
    for (const res of [
      await request(sp.app).get('/api/accounts/CNOPE123/profile'),
      await request(sp.app).put('/api/accounts/CNOPE123/profile').send({ description: 'x' }),
      await request(sp.app).post('/api/accounts/CNOPE123/profile/import-metadata').send({ xml: buildTestMetadata() }),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'ACCOUNT_NOT_FOUND');
    }
  });

  it('imports pasted Federation Metadata XML into the profile', async () => {
    const res = await request(sp.app).post(IMPORT_URL).send({ xml: buildTestMetadata() });
    assert.equal(res.status, 200);
    assert.equal(res.body.profile.issuerUrl, `https://sts.windows.net/${TEST_TENANT_ID}/`);
    assert.equal(res.body.profile.certificates.length, 2);
    assert.equal(res.body.metadata.tenantId, TEST_TENANT_ID);
    assert.ok(Array.isArray(res.body.findings));
  });

  it('imports from the App Federation Metadata Url', async () => {
    const res = await request(sp.app).post(IMPORT_URL).send({ url: METADATA_URL });
    assert.equal(res.status, 200);
    assert.equal(res.body.profile.metadataUrl, METADATA_URL);
    assert.equal(res.body.profile.loginUrl, `http://localhost:3001/${TEST_TENANT_ID}/saml2`);
  });

  it('passes on a fetch failure as its METADATA_ code', async () => {
    const res = await request(sp.app).post(IMPORT_URL).send({ url: 'http://localhost:3001/unknown' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'METADATA_UNREACHABLE');
  });

  it('refuses a document that is not metadata', async () => {
    const res = await request(sp.app).post(IMPORT_URL).send({ xml: '<html><body>Sign in</body></html>' });
    assert.equal(res.status, 422);
    assert.match(res.body.error, /^METADATA_/);
  });

  it('wants exactly one of url and xml', async () => {
    for (const body of [{}, { url: METADATA_URL, xml: '<x/>' }, { url: METADATA_URL, extra: true }]) {
      const res = await request(sp.app).post(IMPORT_URL).send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
    }
  });
});
