import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import {
  describeCertificate,
  generateTestCertificate,
  isCertificateValidAt,
  normalizeCertificatePem,
} from '../../../src/core/saml/certs.js';

const pem = readFileSync(new URL('../../../certs/idp-signing-1.crt', import.meta.url), 'utf8');
const keyPem = readFileSync(new URL('../../../certs/idp-signing-1.key', import.meta.url), 'utf8');
const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
const der = Buffer.from(base64, 'base64');

function assertInvalid(fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof AppError && err.code === 'CERTIFICATE_INVALID');
}

describe('describeCertificate', () => {
  test('thumbprint is the SHA-1 of the DER in upper-case hex, as Entra shows it', () => {
    const info = describeCertificate(pem);
    assert.equal(info.thumbprint, createHash('sha1').update(der).digest('hex').toUpperCase());
    assert.equal(info.sha256, createHash('sha256').update(der).digest('hex').toUpperCase());
    assert.match(info.thumbprint, /^[0-9A-F]{40}$/);
  });

  test('reads subject, issuer, validity and the base64 line', () => {
    const info = describeCertificate(pem);
    const node = new X509Certificate(der);
    assert.equal(info.subject, 'CN=mock-mimecast TEST ONLY idp-signing-1');
    assert.equal(info.issuer, info.subject);
    assert.equal(info.base64, base64);
    assert.equal(info.notBefore, new Date(node.validFrom).toISOString());
    assert.equal(info.notAfter, new Date(node.validTo).toISOString());
  });

  test('accepts bare base64, line breaks, CRLF and stray spaces', () => {
    const expected = describeCertificate(pem).thumbprint;
    assert.equal(describeCertificate(base64).thumbprint, expected);
    assert.equal(describeCertificate(`  ${(base64.match(/.{1,50}/g) ?? []).join('\r\n ')}\n`).thumbprint, expected);
    assert.equal(describeCertificate(pem.replaceAll('\n', '\r\n')).thumbprint, expected);
  });

  test('refuses text that is not a certificate', () => {
    assertInvalid(() => describeCertificate('not a certificate'));
    assertInvalid(() => describeCertificate(''));
    assertInvalid(() => describeCertificate(Buffer.from('valid base64, not DER').toString('base64')));
    assertInvalid(() => describeCertificate(base64.slice(0, 200)));
  });

  test('refuses a private key pasted in place of a certificate', () => {
    assertInvalid(() => describeCertificate(keyPem));
  });
});

describe('normalizeCertificatePem', () => {
  test('wraps at 64 columns between BEGIN/END lines', () => {
    const out = normalizeCertificatePem(base64);
    const lines = out.trim().split('\n');
    assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
    assert.equal(lines.at(-1), '-----END CERTIFICATE-----');
    assert.ok(lines.slice(1, -1).every((l) => l.length <= 64));
    assert.equal(describeCertificate(out).thumbprint, describeCertificate(pem).thumbprint);
  });

  test('refuses garbage', () => {
    assertInvalid(() => normalizeCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'));
  });
});

describe('isCertificateValidAt', () => {
  const info = { notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-12-31T00:00:00.000Z' };
  test('true inside the window, both ends included', () => {
    assert.equal(isCertificateValidAt(info, new Date('2026-06-01T00:00:00Z')), true);
    assert.equal(isCertificateValidAt(info, new Date(info.notBefore)), true);
    assert.equal(isCertificateValidAt(info, new Date(info.notAfter)), true);
  });
  test('false before and after', () => {
    assert.equal(isCertificateValidAt(info, new Date('2025-12-31T23:59:59Z')), false);
    assert.equal(isCertificateValidAt(info, new Date('2026-12-31T00:00:01Z')), false);
  });
});

describe('generateTestCertificate', () => {
  test('makes a self-signed RSA-2048 certificate whose key matches', async () => {
    const notBefore = new Date('2024-03-01T00:00:00Z');
    const { keyPem: key, certPem } = await generateTestCertificate({ commonName: 'mock-mimecast TEST ONLY unit', days: 2, notBefore });
    const info = describeCertificate(certPem);
    assert.equal(info.subject, 'CN=mock-mimecast TEST ONLY unit');
    assert.equal(info.notBefore, notBefore.toISOString());
    assert.equal(info.notAfter, '2024-03-03T00:00:00.000Z');

    const cert = new X509Certificate(certPem);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    const privateKey = createPrivateKey(key);
    const signature = sign('sha256', Buffer.from('data'), privateKey);
    assert.ok(verify('sha256', Buffer.from('data'), cert.publicKey, signature));
    assert.ok(cert.checkPrivateKey(privateKey));
  });

  test('a certificate for another key does not verify a signature', async () => {
    const a = await generateTestCertificate({ commonName: 'a', days: 1 });
    const b = await generateTestCertificate({ commonName: 'b', days: 1 });
    assert.equal(new X509Certificate(a.certPem).checkPrivateKey(createPrivateKey(b.keyPem)), false);
  });
});
