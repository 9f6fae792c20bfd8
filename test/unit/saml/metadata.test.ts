import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { buildFederationMetadata } from '../../../src/core/idp/federation-metadata.js';
import { describeCertificate, generateTestCertificate } from '../../../src/core/saml/certs.js';
import { BINDING } from '../../../src/core/saml/constants.js';
import { parseIdpMetadata } from '../../../src/core/saml/metadata.js';

const read = (name: string) => readFileSync(new URL(`../../../certs/${name}`, import.meta.url), 'utf8');
const cert1 = read('idp-signing-1.crt');
const key1 = read('idp-signing-1.key');
const cert2 = read('idp-signing-2.crt');
const key2 = read('idp-signing-2.key');
const thumb1 = describeCertificate(cert1).thumbprint;
const thumb2 = describeCertificate(cert2).thumbprint;
const TENANT = 'a1b2c3d4-0000-4000-8000-1234567890ab';
const SAML2 = `http://localhost:3001/${TENANT}/saml2`;
const APP_URL = `http://localhost:3001/${TENANT}/federationmetadata/2007-06/federationmetadata.xml?appid=0f0e0d0c-0000-4000-8000-000000000001`;
const TENANT_URL = `https://login.microsoftonline.com/${TENANT}/FederationMetadata/2007-06/FederationMetadata.xml`;
// Inside the validity of the committed test certificates, whenever they were (re)generated.
const NOW = new Date(Math.max(Date.parse(describeCertificate(cert1).notBefore), Date.parse(describeCertificate(cert2).notBefore)) + 60_000);

function build(overrides: Partial<Parameters<typeof buildFederationMetadata>[0]> = {}): string {
  return buildFederationMetadata({
    tenantId: TENANT,
    idpBaseUrl: 'http://localhost:3001',
    certificates: [cert1, cert2],
    signingKey: key1,
    signingCert: cert1,
    documentId: '_0b1c2d3e-aaaa-4bbb-8ccc-dddddddddddd',
    ...overrides,
  });
}

function assertRefused(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof AppError && err.code === code);
}

const codes = (m: { findings: { code: ErrorCode }[] }) => m.findings.map((f) => f.code);

/** An IdP EntityDescriptor written by hand, unsigned, for structural cases. */
function buildPlain(idpBody: string, rootAttrs = `entityID="https://idp.example/"`): string {
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ${rootAttrs}>${idpBody}</md:EntityDescriptor>`;
}
const idpWith = (inner: string) =>
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</md:IDPSSODescriptor>`;
const keyDescriptor = (pem: string, use: string | null) =>
  `<md:KeyDescriptor${use === null ? '' : ` use="${use}"`}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${describeCertificate(pem).base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const sso = `<md:SingleSignOnService Binding="${BINDING.httpPost}" Location="https://idp.example/sso"/>`;

describe('parseIdpMetadata on Entra-shaped metadata', () => {
  test('reads both certificates, endpoints per binding, BOM and a verified signature', () => {
    const m = parseIdpMetadata(build(), { now: NOW, sourceUrl: APP_URL });
    assert.equal(m.entityId, `https://sts.windows.net/${TENANT}/`);
    assert.equal(m.tenantId, TENANT);
    assert.deepEqual(
      m.signingCertificates.map((c) => c.thumbprint),
      [thumb1, thumb2],
    );
    assert.deepEqual(m.encryptionCertificates, []);
    assert.deepEqual(m.ssoEndpoints, [
      { binding: BINDING.httpRedirect, location: SAML2 },
      { binding: BINDING.httpPost, location: SAML2 },
    ]);
    assert.deepEqual(m.sloEndpoints, [{ binding: BINDING.httpRedirect, location: SAML2 }]);
    assert.equal(m.hadBom, true);
    assert.equal(m.documentId, '_0b1c2d3e-aaaa-4bbb-8ccc-dddddddddddd');
    assert.equal(m.validUntil, null);
    assert.deepEqual(m.documentSignature, {
      present: true,
      verified: true,
      verifiedBy: thumb1,
      algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    });
    assert.deepEqual(m.findings, []);
  });

  test('a signature by the second certificate is verified by it', () => {
    const m = parseIdpMetadata(build({ signingKey: key2, signingCert: cert2 }), { now: NOW });
    assert.equal(m.documentSignature.verifiedBy, thumb2);
  });

  test('without BOM, hadBom is false', () => {
    assert.equal(parseIdpMetadata(build({ withBom: false }), { now: NOW }).hadBom, false);
  });

  test('reads validUntil', () => {
    const m = parseIdpMetadata(build({ validUntil: new Date('2030-01-01T00:00:00Z') }), { now: NOW });
    assert.equal(m.validUntil, '2030-01-01T00:00:00.000Z');
  });

  test('a tampered document does not verify', () => {
    const tampered = build().replace(
      `Binding="${BINDING.httpPost}" Location="${SAML2}"`,
      `Binding="${BINDING.httpPost}" Location="https://evil.example/saml2"`,
    );
    const m = parseIdpMetadata(tampered, { now: NOW });
    assert.equal(m.documentSignature.present, true);
    assert.equal(m.documentSignature.verified, false);
    assert.equal(m.documentSignature.verifiedBy, null);
    assert.deepEqual(codes(m), ['METADATA_SIGNATURE_INVALID']);
    assert.equal(m.findings[0]?.severity, 'warn');
  });

  test('a signature by a key the document does not list does not verify, whatever KeyInfo says', () => {
    // Signed with key 2 and cert 2 in KeyInfo, but only cert 1 is listed as a signing certificate.
    const m = parseIdpMetadata(build({ certificates: [cert1], signingKey: key2, signingCert: cert2 }), { now: NOW });
    assert.equal(m.documentSignature.verified, false);
    assert.deepEqual(codes(m), ['METADATA_SIGNATURE_INVALID']);
  });

  test('an unsigned document is reported as such', () => {
    const unsigned = build().replace(/<Signature [\s\S]*?<\/Signature>/, '');
    const m = parseIdpMetadata(unsigned, { now: NOW });
    assert.deepEqual(m.documentSignature, { present: false, verified: false, verifiedBy: null, algorithm: null });
    assert.deepEqual(codes(m), ['METADATA_UNSIGNED']);
    assert.equal(m.findings[0]?.severity, 'info');
  });

  test('the tenant-wide metadata URL is flagged, the app URL is not', () => {
    assert.deepEqual(codes(parseIdpMetadata(build(), { now: NOW, sourceUrl: TENANT_URL })), ['METADATA_TENANT_WIDE']);
    assert.deepEqual(codes(parseIdpMetadata(build(), { now: NOW, sourceUrl: APP_URL })), []);
    assert.deepEqual(codes(parseIdpMetadata(build(), { now: NOW, sourceUrl: 'https://idp.example/metadata.xml' })), []);
    assert.deepEqual(codes(parseIdpMetadata(build(), { now: NOW, sourceUrl: null })), []);
  });

  test('tenant-wide content (tenant keys, no app certificate) is flagged without a URL, naming the evidence', async () => {
    const keys = await Promise.all(
      [0, 1].map(() =>
        generateTestCertificate({
          commonName: 'accounts.accesscontrol.windows.net',
          days: 30,
          notBefore: new Date(NOW.getTime() - 86_400_000),
        }),
      ),
    );
    const pasted = parseIdpMetadata(
      build({ certificates: keys.map((k) => k.certPem), signingKey: keys[0]?.keyPem, signingCert: keys[0]?.certPem }),
      { now: NOW, sourceUrl: null },
    );
    const finding = pasted.findings.find((f) => f.code === 'METADATA_TENANT_WIDE');
    assert.ok(finding?.message.includes('2 signing certificates are issued to CN=accounts.accesscontrol.windows.net'));
    assert.ok(!finding?.message.includes('?appid='));
    const app = await generateTestCertificate({
      commonName: 'Microsoft Azure Federated SSO Certificate',
      days: 30,
      notBefore: new Date(NOW.getTime() - 86_400_000),
    });
    const mixed = parseIdpMetadata(
      build({ certificates: [...keys.map((k) => k.certPem), app.certPem], signingKey: app.keyPem, signingCert: app.certPem }),
      { now: NOW },
    );
    assert.ok(!codes(mixed).includes('METADATA_TENANT_WIDE'));
    const byUrl = parseIdpMetadata(build(), { now: NOW, sourceUrl: TENANT_URL }).findings[0];
    assert.ok(byUrl?.message.includes('the Metadata URL has no ?appid='));
  });

  test('an expired signing certificate is named in a finding', async () => {
    const expired = await generateTestCertificate({ commonName: 'expired', days: 1, notBefore: new Date(NOW.getTime() - 10 * 86_400_000) });
    const m = parseIdpMetadata(build({ certificates: [cert1, expired.certPem] }), { now: NOW });
    const found = m.findings.filter((f) => f.code === 'METADATA_CERT_EXPIRED');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warn');
    assert.ok(found[0]?.message.includes(describeCertificate(expired.certPem).thumbprint));
    assert.equal(m.documentSignature.verified, true);
  });

  test('a certificate not valid yet is reported, one finding per certificate', () => {
    const m = parseIdpMetadata(build(), { now: new Date('2000-01-01T00:00:00Z') });
    assert.deepEqual(codes(m), ['METADATA_CERT_NOT_YET_VALID', 'METADATA_CERT_NOT_YET_VALID']);
  });

  test('parses the shared fixture', () => {
    const fixture = readFileSync(new URL('../../_fixtures/entra-app-metadata.xml', import.meta.url), 'utf8');
    const m = parseIdpMetadata(fixture, { now: NOW });
    assert.equal(m.tenantId, 'c0a7f5e2-6b1d-4e8a-9f3c-2d4b6a8e0f11');
    assert.equal(m.signingCertificates.length, 2);
    assert.equal(m.documentSignature.verified, true);
    assert.equal(m.hadBom, true);
  });
});

describe('parseIdpMetadata on other shapes', () => {
  test('a KeyDescriptor without use counts as signing (and encryption); duplicates are dropped', () => {
    const m = parseIdpMetadata(
      buildPlain(idpWith(keyDescriptor(cert1, null) + keyDescriptor(cert1, 'signing') + keyDescriptor(cert2, 'encryption') + sso)),
      { now: NOW },
    );
    assert.deepEqual(
      m.signingCertificates.map((c) => c.thumbprint),
      [thumb1],
    );
    assert.deepEqual(
      m.encryptionCertificates.map((c) => c.thumbprint),
      [thumb1, thumb2],
    );
    assert.equal(m.tenantId, null);
    assert.deepEqual(m.ssoEndpoints, [{ binding: BINDING.httpPost, location: 'https://idp.example/sso' }]);
  });

  test('an EntitiesDescriptor with exactly one IdP is accepted', () => {
    const sp = `<md:EntityDescriptor entityID="https://sp.example/"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    const idp = `<md:EntityDescriptor entityID="https://idp.example/">${idpWith(keyDescriptor(cert1, 'signing') + sso)}</md:EntityDescriptor>`;
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${sp}${idp}</md:EntitiesDescriptor>`;
    assert.equal(parseIdpMetadata(xml, { now: NOW }).entityId, 'https://idp.example/');
  });

  test('an EntitiesDescriptor with two IdPs is refused', () => {
    const idp = (n: number) =>
      `<md:EntityDescriptor entityID="https://idp${n}.example/">${idpWith(keyDescriptor(cert1, 'signing'))}</md:EntityDescriptor>`;
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${idp(1)}${idp(2)}</md:EntitiesDescriptor>`;
    assertRefused(() => parseIdpMetadata(xml, { now: NOW }), 'METADATA_INVALID');
  });

  test('SP metadata (SPSSODescriptor only) is refused as METADATA_NO_IDP', () => {
    const xml = buildPlain(
      `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keyDescriptor(cert1, 'signing')}</md:SPSSODescriptor>`,
    );
    assertRefused(() => parseIdpMetadata(xml, { now: NOW }), 'METADATA_NO_IDP');
  });

  test('an IDPSSODescriptor without SAML 2.0 support is not an IdP', () => {
    const xml = buildPlain(
      `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol">${keyDescriptor(cert1, 'signing')}</md:IDPSSODescriptor>`,
    );
    assertRefused(() => parseIdpMetadata(xml, { now: NOW }), 'METADATA_NO_IDP');
  });

  test('no signing certificate is refused', () => {
    assertRefused(() => parseIdpMetadata(buildPlain(idpWith(sso)), { now: NOW }), 'METADATA_NO_SIGNING_CERT');
    assertRefused(
      () => parseIdpMetadata(buildPlain(idpWith(keyDescriptor(cert1, 'encryption') + sso)), { now: NOW }),
      'METADATA_NO_SIGNING_CERT',
    );
  });

  test('a broken certificate is refused as invalid metadata', () => {
    const broken =
      '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>';
    assertRefused(() => parseIdpMetadata(buildPlain(idpWith(broken)), { now: NOW }), 'METADATA_INVALID');
  });

  test('a missing entityID is refused', () => {
    assertRefused(
      () => parseIdpMetadata(buildPlain(idpWith(keyDescriptor(cert1, 'signing')), 'ID="_x"'), { now: NOW }),
      'METADATA_INVALID',
    );
  });

  test('a DOCTYPE, non-XML and a wrong root are METADATA_INVALID', () => {
    assertRefused(
      () => parseIdpMetadata(`<!DOCTYPE x>${buildPlain(idpWith(keyDescriptor(cert1, 'signing')))}`, { now: NOW }),
      'METADATA_INVALID',
    );
    assertRefused(() => parseIdpMetadata('<html><body>Sign in</body>', { now: NOW }), 'METADATA_INVALID');
    assertRefused(() => parseIdpMetadata('{"not":"xml"}', { now: NOW }), 'METADATA_INVALID');
    assertRefused(
      () => parseIdpMetadata('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>', { now: NOW }),
      'METADATA_INVALID',
    );
    assertRefused(() => parseIdpMetadata('<EntityDescriptor entityID="x"/>', { now: NOW }), 'METADATA_INVALID');
  });

  test('a document over maxBytes is METADATA_TOO_LARGE', () => {
    assertRefused(() => parseIdpMetadata(build(), { now: NOW, maxBytes: 4096 }), 'METADATA_TOO_LARGE');
  });
});
