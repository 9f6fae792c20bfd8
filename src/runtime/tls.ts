/**
 * The files behind `start --tls` and `certs --ca`: a local CA and a server certificate for every
 * Mimecast region host, localhost and 127.0.0.1, kept as PEM in one folder (keys mode 0600).
 */
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { AppError } from '../core/errors.js';
import { foldAsciiCase } from '../core/saml/ascii-case.js';
import { generateLocalCa, issueServerCertificate, type PemKeyPair, readCertificateHosts } from '../core/saml/local-ca.js';
import { REGION_HOSTS } from '../core/sp/regions.js';

/** The four files in the TLS folder. */
export interface TlsPaths {
  dir: string;
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** What the SP's HTTPS server needs, and what was created on the way. */
export interface TlsMaterial {
  paths: TlsPaths;
  /** Server certificate and key, PEM. */
  cert: string;
  key: string;
  /** The CA certificate, PEM: what clients must trust. */
  ca: string;
  created: { ca: boolean; server: boolean };
  /** ISO 8601 end of the server certificate's validity. */
  serverNotAfter: string;
  hosts: string[];
}

/** Ten years: trusting a CA is a manual step on every machine, so it should rarely change. */
export const CA_VALIDITY_DAYS = 3650;
/** One year: under the 398 days browsers accept for a server certificate. */
export const SERVER_VALIDITY_DAYS = 365;
/** A server certificate closer than this to its end is issued again at start. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
/** Back-dated an hour so a machine whose clock runs a little behind accepts it at once. */
const BACKDATE_MS = 60 * 60 * 1000;

/** Every host the server certificate names: each Mimecast region host, then localhost and 127.0.0.1. */
export function listTlsHosts(): string[] {
  return [...Object.values(REGION_HOSTS), 'localhost', '127.0.0.1'];
}

/** Where the files live in `dir` (resolved against the working directory). */
export function resolveTlsPaths(dir: string): TlsPaths {
  const abs = resolve(dir);
  return { dir: abs, caCert: join(abs, 'ca.crt'), caKey: join(abs, 'ca.key'), cert: join(abs, 'server.crt'), key: join(abs, 'server.key') };
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('TLS_FILES_INVALID', `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      cause: error,
    });
  }
}

async function writePair(certPath: string, keyPath: string, pair: PemKeyPair): Promise<void> {
  await writeFile(keyPath, pair.keyPem, { mode: 0o600 });
  // `mode` applies only when the file is created; a replaced key must not keep looser permissions.
  await chmod(keyPath, 0o600);
  await writeFile(certPath, pair.certPem);
}

/**
 * The CA as found, or a new one when neither file exists. Half a CA (one file missing) is refused
 * rather than replaced: a new CA would silently undo the trust a person installed for the old one.
 */
async function loadOrCreateCa(paths: TlsPaths, now: Date): Promise<{ pair: PemKeyPair; created: boolean }> {
  const [certPem, keyPem] = await Promise.all([readOptional(paths.caCert), readOptional(paths.caKey)]);
  if (certPem !== null && keyPem !== null) return { pair: { certPem, keyPem }, created: false };
  if (certPem !== null || keyPem !== null) {
    throw new AppError('TLS_FILES_INVALID', `Only one of ${paths.caCert} and ${paths.caKey} exists.`, {
      hint: `Restore the missing file, or delete ${paths.dir} and run \`mock-mimecast certs --ca\` again (the new CA must then be trusted again).`,
    });
  }
  const day = now.toISOString().slice(0, 10);
  const pair = await generateLocalCa({
    commonName: `mock-mimecast local CA ${hostname()} ${day}`,
    days: CA_VALIDITY_DAYS,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
  });
  await writePair(paths.caCert, paths.caKey, pair);
  return { pair, created: true };
}

/**
 * True when the server pair is still good: key and certificate match, the CA issued it, it is valid
 * for another 30 days and it names every host.
 */
function isServerPairUsable(server: PemKeyPair, ca: PemKeyPair, hosts: string[], now: Date): boolean {
  try {
    createSecureContext({ cert: server.certPem, key: server.keyPem });
    const cert = new X509Certificate(server.certPem);
    if (!cert.checkIssued(new X509Certificate(ca.certPem))) return false;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_MS || Date.parse(cert.validFrom) > now.getTime()) return false;
    const named = new Set(readCertificateHosts(server.certPem));
    return hosts.every((host) => named.has(foldAsciiCase(host)));
  } catch {
    return false;
  }
}

/**
 * Makes sure `dir` holds a CA and a server certificate for every host in `listTlsHosts()`, creating
 * what is missing: the CA only when it does not exist at all, the server certificate when it is
 * missing, unusable, near its end, not from this CA, short of a host, or `renewServer` is set.
 * Throws TLS_FILES_INVALID when existing CA files cannot be used.
 */
export async function ensureTlsMaterial(dir: string, options: { now?: Date; renewServer?: boolean } = {}): Promise<TlsMaterial> {
  const now = options.now ?? new Date();
  const paths = resolveTlsPaths(dir);
  const hosts = listTlsHosts();
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(paths, now);

  const [certPem, keyPem] = await Promise.all([readOptional(paths.cert), readOptional(paths.key)]);
  let server: PemKeyPair | null = certPem !== null && keyPem !== null ? { certPem, keyPem } : null;
  let createdServer = false;
  if (options.renewServer || ca.created || server === null || !isServerPairUsable(server, ca.pair, hosts, now)) {
    server = await issueServerCertificate(ca.pair, { hosts, days: SERVER_VALIDITY_DAYS, notBefore: new Date(now.getTime() - BACKDATE_MS) });
    await writePair(paths.cert, paths.key, server);
    createdServer = true;
  }
  return {
    paths,
    cert: server.certPem,
    key: server.keyPem,
    ca: ca.pair.certPem,
    created: { ca: ca.created, server: createdServer },
    serverNotAfter: new Date(new X509Certificate(server.certPem).validTo).toISOString(),
    hosts,
  };
}
