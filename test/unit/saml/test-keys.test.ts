import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TEST_KEY_NAMES, writeTestKeys } from '../../../src/cli/test-keys.js';

describe('writeTestKeys', () => {
  let dir: string | null = null;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('writes a matching key and certificate for each test key pair, labelled TEST ONLY', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-keys-'));
    const target = join(dir, 'certs');
    const paths = await writeTestKeys(target);
    assert.deepEqual(
      paths.map((p) => basename(p)),
      TEST_KEY_NAMES.flatMap((n) => [`${n}.key`, `${n}.crt`]),
    );
    for (const name of TEST_KEY_NAMES) {
      const cert = new X509Certificate(await readFile(join(target, `${name}.crt`)));
      const key = createPrivateKey(await readFile(join(target, `${name}.key`)));
      assert.equal(cert.subject, `CN=mock-mimecast TEST ONLY ${name}`);
      assert.ok(cert.checkPrivateKey(key), `${name}: key matches certificate`);
      const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365 * 86_400_000);
      assert.ok(years > 9.9 && years < 10.1, `${name}: valid about 10 years`);
      assert.ok(Date.parse(cert.validFrom) < Date.now(), `${name}: already valid`);
      if (process.platform !== 'win32')
        assert.equal((await stat(join(target, `${name}.key`))).mode & 0o077, 0, 'key not readable by others');
    }
  });

  test('two runs give different keys', async () => {
    const base = dir ?? (await mkdtemp(join(tmpdir(), 'mock-mimecast-keys-')));
    dir = base;
    const [a, b] = [join(base, 'a'), join(base, 'b')];
    await writeTestKeys(a);
    await writeTestKeys(b);
    assert.notEqual(await readFile(join(a, 'sp-signing.key'), 'utf8'), await readFile(join(b, 'sp-signing.key'), 'utf8'));
  });
});
