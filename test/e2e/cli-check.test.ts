import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { buildSignedTestResponse, mutateResponseXml } from '../_helpers/idp-signer.js';
import { URLS, USER_EMAIL } from '../_helpers/sp-core.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'mm-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const capturedAt = '2025-06-01T08:00:00.000Z';
const built = buildSignedTestResponse({ now: new Date(capturedAt), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email: USER_EMAIL });
const args = ['--cert', 'certs/idp-signing-1.crt', '--acs', URLS.localAcsUrl, '--audience', URLS.entraIdentifier, '--now', '2025-06-01T08:01:00Z'];

async function check(file: string, extra: string[] = []): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/mock-mimecast.js', 'check', file, ...args, ...extra], { timeout: 30_000 });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('mock-mimecast check (the command line)', () => {
  test('exit 0 for a capture that would sign in, given as base64, XML or a form body', async () => {
    const files = {
      'response.b64': built.base64,
      'response.xml': built.xml,
      'response.form': `SAMLResponse=${encodeURIComponent(built.base64)}&RelayState=%2Fportal`,
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content);
      const result = await check(join(dir, name), ['--json']);
      assert.equal(result.code, 0, name);
      assert.equal(JSON.parse(result.stdout).ok, true, name);
    }
  });

  test('exit 1 and the failing check for a response edited after signing', async () => {
    const tampered = mutateResponseXml(built.xml, (doc) => {
      const nameId = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'NameID')[0];
      if (nameId) nameId.textContent = 'admin@contoso.com';
    });
    writeFileSync(join(dir, 'tampered.xml'), tampered);
    const result = await check(join(dir, 'tampered.xml'), ['--json']);
    assert.equal(result.code, 1);
    const checks = JSON.parse(result.stdout).checks as { id: string; code?: string }[];
    assert.equal(checks.find((c) => c.id === 'assertion-signature')?.code, 'SP_SIGNATURE_DIGEST_MISMATCH');
    assert.equal(checks.find((c) => c.id === 'signature')?.code, 'SP_SIGNATURE_DIGEST_MISMATCH');
  });
});
