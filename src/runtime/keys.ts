import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpKeys } from '../core/sp/context.js';

/** The repository's certs/ folder: test-only keys (see certs/README.md). */
export const CERTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'certs');

/** Reads one PEM pair `<name>.key` / `<name>.crt` from a folder. */
export function readKeyPair(name: string, dir: string = CERTS_DIR): { key: string; cert: string } {
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
}

/** The SP's signing and encryption key pairs from certs/ (test-only keys). */
export function readSpKeys(dir: string = CERTS_DIR): SpKeys {
  const signing = readKeyPair('sp-signing', dir);
  const encryption = readKeyPair('sp-encryption', dir);
  return { signingKey: signing.key, signingCert: signing.cert, encryptionKey: encryption.key, encryptionCert: encryption.cert };
}
