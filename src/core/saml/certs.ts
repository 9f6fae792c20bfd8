/**
 * X.509 certificates as Entra's portal shows them (thumbprint = SHA-1 of the DER, upper-case hex) and
 * as SAML carries them (one base64 line in ds:X509Certificate). Pure: no file I/O.
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { AppError } from '../errors.js';
import type { CertificateInfo } from './types.js';

const PEM_BOUNDARY = /-----(BEGIN|END) [A-Z0-9 ]+-----/g;

/** Reads PEM (with or without BEGIN/END lines, any whitespace) or bare base64 into DER bytes. */
function readDer(pemOrBase64: string): Buffer {
  const labels = [...pemOrBase64.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  if (labels.some((label) => label !== 'CERTIFICATE')) {
    throw new AppError('CERTIFICATE_INVALID', 'The PEM block is not a CERTIFICATE (a private key must never be pasted here).');
  }
  const body = pemOrBase64.replace(PEM_BOUNDARY, '').replace(/\s+/g, '');
  if (body === '' || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new AppError('CERTIFICATE_INVALID');
  }
  return Buffer.from(body, 'base64');
}

function parseCertificate(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new AppError('CERTIFICATE_INVALID', undefined, { cause: err });
  }
}

function formatPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Describes a certificate given as PEM or bare base64 DER (whitespace anywhere is fine): normalised
 * PEM, the base64 line, SHA-1 thumbprint and SHA-256 as upper-case hex, subject, issuer, validity in
 * ISO 8601. Throws AppError CERTIFICATE_INVALID when the text is not one X.509 certificate.
 */
export function describeCertificate(pemOrBase64: string): CertificateInfo {
  const der = readDer(pemOrBase64);
  const cert = parseCertificate(der);
  return {
    pem: formatPem(der),
    base64: der.toString('base64'),
    thumbprint: cert.fingerprint.replaceAll(':', '').toUpperCase(),
    sha256: cert.fingerprint256.replaceAll(':', '').toUpperCase(),
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** Normalises a certificate to PEM with 64-column lines; throws CERTIFICATE_INVALID like describeCertificate. */
export function normalizeCertificatePem(input: string): string {
  const der = readDer(input);
  parseCertificate(der);
  return formatPem(der);
}

/** True when `now` lies within [notBefore, notAfter] (RFC 5280 4.1.2.5: both ends inclusive). */
export function isCertificateValidAt(info: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: Date): boolean {
  const t = now.getTime();
  return t >= Date.parse(info.notBefore) && t <= Date.parse(info.notAfter);
}

function wrapPem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function buildSerialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  // A positive INTEGER: clear the top bit so DER does not read it as negative (RFC 5280 4.1.2.2).
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/**
 * @peculiar/x509 needs a Reflect metadata polyfill before it loads. Loading both on first use keeps
 * the polyfill out of every process that only reads certificates (the SP and IdP at run time).
 */
async function loadCertificateGenerator(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

function escapeRdnValue(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

/**
 * Generates a self-signed RSA-2048 / SHA-256 certificate and its PKCS#8 key, both PEM, as Entra's
 * "New Certificate" does (but for tests only). `notBefore` defaults to the current time.
 * `organizationalUnit` adds an OU to the subject; `extensions: false` leaves the extensions out, as
 * Entra's own SAML signing certificates have none.
 */
export async function generateTestCertificate(opts: {
  commonName: string;
  days: number;
  notBefore?: Date;
  organizationalUnit?: string;
  extensions?: boolean;
}): Promise<{ keyPem: string; certPem: string }> {
  const x509 = await loadCertificateGenerator();
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = opts.notBefore ?? new Date();
  const notAfter = new Date(notBefore.getTime() + opts.days * 24 * 60 * 60 * 1000);
  const ou = opts.organizationalUnit === undefined ? '' : `, OU=${escapeRdnValue(opts.organizationalUnit)}`;
  const name = `CN=${escapeRdnValue(opts.commonName)}${ou}`;
  // An end-entity certificate for signing and key transport; RFC 5280 wants at least one extension
  // when the extensions field is present at all.
  const extensions =
    opts.extensions === false
      ? []
      : [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: buildSerialNumber(), name, notBefore, notAfter, keys, signingAlgorithm: algorithm, extensions },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey);
  return { keyPem: wrapPem('PRIVATE KEY', pkcs8), certPem: normalizeCertificatePem(cert.toString('pem')) };
}
