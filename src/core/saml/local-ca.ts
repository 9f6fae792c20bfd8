/**
 * A local certificate authority and the HTTPS server certificates it issues, so a browser that trusts
 * the CA reaches the harness at Mimecast's production host names without a warning. Pure: the caller
 * decides where the PEM goes. For rehearsal machines only; the CA can vouch for any host it is asked to.
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { AppError } from '../errors.js';
import { foldAsciiCase } from './ascii-case.js';
import { normalizeCertificatePem } from './certs.js';

/** A private key (PKCS#8 PEM) and its certificate (PEM). */
export interface PemKeyPair {
  keyPem: string;
  certPem: string;
}

const RSA_SIGNING = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Loads the Reflect polyfill before @peculiar/x509, as certs.ts does, only when generating. */
async function loadGenerator(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

function wrapPem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function readPemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** A positive 128-bit serial (RFC 5280 4.1.2.2: at most 20 octets, never negative). */
function buildSerialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(RSA_SIGNING, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return wrapPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
}

/**
 * Generates a CA: RSA-2048 / SHA-256, self-signed, basicConstraints CA with path length 0 (it signs
 * server certificates, never another CA), key usage keyCertSign and cRLSign.
 */
export async function generateLocalCa(opts: { commonName: string; days: number; notBefore: Date }): Promise<PemKeyPair> {
  const x509 = await loadGenerator();
  const crypto = webcrypto as unknown as Crypto;
  const keys = await generateKeys();
  const notAfter = new Date(opts.notBefore.getTime() + opts.days * DAY_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: buildSerialNumber(),
      name: `CN=${escapeRdn(opts.commonName)}, O=mock-mimecast`,
      notBefore: opts.notBefore,
      notAfter,
      keys,
      signingAlgorithm: RSA_SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { keyPem: await exportPrivateKey(keys.privateKey), certPem: normalizeCertificatePem(cert.toString('pem')) };
}

/**
 * Issues a TLS server certificate signed by `ca`: a fresh RSA-2048 key, every host as a subjectAltName
 * (IPv4 literals as IP addresses, the rest as DNS names; browsers read only the SAN), extended key
 * usage serverAuth. The first host is the subject CN. Throws TLS_FILES_INVALID when `ca` does not
 * hold a usable CA key and certificate, and VALIDATION_FAILED when `hosts` is empty.
 */
export async function issueServerCertificate(
  ca: PemKeyPair,
  opts: { hosts: string[]; days: number; notBefore: Date },
): Promise<PemKeyPair> {
  const first = opts.hosts[0];
  if (first === undefined) throw new AppError('VALIDATION_FAILED', 'A server certificate needs at least one host name.');
  const x509 = await loadGenerator();
  const crypto = webcrypto as unknown as Crypto;
  let caCert: InstanceType<typeof x509.X509Certificate>;
  let caKey: CryptoKey;
  try {
    caCert = new x509.X509Certificate(normalizeCertificatePem(ca.certPem));
    caKey = (await webcrypto.subtle.importKey('pkcs8', readPemBody(ca.keyPem), RSA_SIGNING, false, ['sign'])) as CryptoKey;
  } catch (error) {
    throw new AppError('TLS_FILES_INVALID', 'The local CA certificate or key cannot be read.', { cause: error });
  }
  const keys = await generateKeys();
  const names = opts.hosts.map((host) => ({ type: IPV4.test(host) ? ('ip' as const) : ('dns' as const), value: host }));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: buildSerialNumber(),
      subject: `CN=${escapeRdn(first)}, O=mock-mimecast`,
      issuer: caCert.subject,
      notBefore: opts.notBefore,
      notAfter: new Date(opts.notBefore.getTime() + opts.days * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: RSA_SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { keyPem: await exportPrivateKey(keys.privateKey), certPem: normalizeCertificatePem(cert.toString('pem')) };
}

/**
 * The DNS names and IP addresses a certificate's subjectAltName lists, lower case, for deciding
 * whether an existing server certificate still covers every host.
 */
export function readCertificateHosts(certPem: string): string[] {
  const san = new X509Certificate(certPem).subjectAltName ?? '';
  return san
    .split(/,\s*/)
    .map((entry) => foldAsciiCase(entry.match(/^(?:DNS|IP Address):(.+)$/)?.[1]?.trim() ?? ''))
    .filter((host): host is string => host !== undefined && host !== '');
}
