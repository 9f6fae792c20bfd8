/**
 * Regenerates the test-only key pairs under certs/ (`mock-mimecast certs --test-keys`,
 * `npm run certs:test`). These keys are public: they exist so that tests and the offline walk-through
 * sign and verify something real, and must never be trusted anywhere else.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTestCertificate } from '../core/saml/certs.js';

/** Each key pair and what uses it; certs/README.md describes the same list. */
export const TEST_KEY_NAMES = ['sp-signing', 'sp-encryption', 'idp-signing-1', 'idp-signing-2'] as const;

const VALIDITY_DAYS = 3650;
/** Back-dated a day so a machine whose clock runs a little behind still sees them as valid. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;

/**
 * Writes `<name>.key` (PKCS#8 PEM, mode 0600) and `<name>.crt` (self-signed, RSA-2048, SHA-256,
 * CN "mock-mimecast TEST ONLY <name>", 10 years) for every test key pair into `dir`, replacing what
 * is there. Returns the paths written, keys before certificates for each pair.
 */
export async function writeTestKeys(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const notBefore = new Date(Date.now() - BACKDATE_MS);
  const written: string[] = [];
  for (const name of TEST_KEY_NAMES) {
    const { keyPem, certPem } = await generateTestCertificate({
      commonName: `mock-mimecast TEST ONLY ${name}`,
      days: VALIDITY_DAYS,
      notBefore,
    });
    const keyPath = join(dir, `${name}.key`);
    const certPath = join(dir, `${name}.crt`);
    await writeFile(keyPath, keyPem, { mode: 0o600 });
    // `mode` applies only when the file is created; an existing key keeps its old permissions otherwise.
    await chmod(keyPath, 0o600);
    await writeFile(certPath, certPem);
    written.push(keyPath, certPath);
  }
  return written;
}
