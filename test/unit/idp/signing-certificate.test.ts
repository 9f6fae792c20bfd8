import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { addAppCertificate, buildMimecastApp, type EnterpriseApp } from '../../../src/core/idp/apps.js';
import {
  ENTRA_SIGNING_CERT_CN,
  generateAppSigningCertificate,
  selectSigningCertificate,
  TEST_ONLY_OU,
} from '../../../src/core/idp/signing-certificate.js';
import { generateTestCertificate } from '../../../src/core/saml/certs.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
let n = 0;
const deps = { ids: { uuid: () => `id-${++n}`, samlId: () => `_s${++n}` }, clock: { now: () => NOW } } as never;

/**
 * Entra's certificate management tutorial: "If both an expired and an inactive valid certificate
 * exist, Microsoft Entra ID automatically utilizes the valid certificate."
 */
describe('which certificate the mock Entra signs with', () => {
  let expired: { keyPem: string; certPem: string };
  let valid: { keyPem: string; certPem: string };
  let alsoExpired: { keyPem: string; certPem: string };
  before(async () => {
    expired = await generateTestCertificate({ commonName: 'expired', days: 30, notBefore: new Date(NOW.getTime() - 60 * DAY) });
    alsoExpired = await generateTestCertificate({ commonName: 'also expired', days: 10, notBefore: new Date(NOW.getTime() - 20 * DAY) });
    valid = await generateTestCertificate({ commonName: 'valid', days: 365, notBefore: new Date(NOW.getTime() - DAY) });
  });

  function appWith(active: { keyPem: string; certPem: string }, inactive: { keyPem: string; certPem: string }[]): EnterpriseApp {
    let app = buildMimecastApp(TENANT, { template: 'mimecast', certificate: { pem: active.certPem, keyPem: active.keyPem } }, deps);
    for (const c of inactive) app = addAppCertificate(app, { pem: c.certPem, keyPem: c.keyPem }, deps).app;
    return app;
  }

  test('an expired active certificate with a valid inactive one: the valid one signs', () => {
    const app = appWith(expired, [valid]);
    assert.equal(app.certificates.find((c) => c.active)?.pem, expired.certPem);
    assert.equal(selectSigningCertificate(app, NOW).pem, valid.certPem);
  });

  test('a valid active certificate signs even when another is valid too', () => {
    const app = appWith(valid, [expired]);
    assert.equal(selectSigningCertificate(app, NOW).pem, valid.certPem);
  });

  test('with no valid inactive certificate the expired active one still signs', () => {
    const app = appWith(expired, [alsoExpired]);
    assert.equal(selectSigningCertificate(app, NOW).pem, expired.certPem);
  });
});

describe("the mock Entra's New Certificate", () => {
  test("looks like Entra's: CN=Microsoft Azure Federated SSO Certificate, TEST ONLY in the OU, 3 years, no extensions", async () => {
    const { pem } = await generateAppSigningCertificate(NOW);
    const cert = new X509Certificate(pem);
    assert.equal(cert.subject, `CN=${ENTRA_SIGNING_CERT_CN}\nOU=${TEST_ONLY_OU}`);
    assert.ok(TEST_ONLY_OU.includes('TEST ONLY'));
    assert.equal(new Date(cert.validFrom).toISOString(), NOW.toISOString());
    assert.equal(Date.parse(cert.validTo) - NOW.getTime(), 3 * 365 * DAY);
    assert.equal(cert.ca, false);
    await import('reflect-metadata');
    const { X509Certificate: Parsed } = await import('@peculiar/x509');
    assert.deepEqual(new Parsed(pem).extensions.length, 0, 'no BasicConstraints, no KeyUsage: no extensions at all');
  });
});
