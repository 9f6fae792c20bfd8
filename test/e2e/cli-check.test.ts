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
const built = buildSignedTestResponse({
  now: new Date(capturedAt),
  acsUrl: URLS.localAcsUrl,
  audience: URLS.entraIdentifier,
  email: USER_EMAIL,
});
const args = [
  '--cert',
  'certs/idp-signing-1.crt',
  '--acs',
  URLS.localAcsUrl,
  '--audience',
  URLS.entraIdentifier,
  '--now',
  '2025-06-01T08:01:00Z',
];

async function check(file: string, extra: string[] = [], base: string[] = args): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/mock-mimecast.js', 'check', file, ...base, ...extra], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The captures in test/_fixtures/captures are signed for this account, verified by the metadata fixture. */
const FIXTURES = 'test/_fixtures/captures';
const ACS = 'http://localhost:3000/login/saml';
const fixtureArgs = [
  '--metadata',
  'test/_fixtures/entra-app-metadata.xml',
  '--acs',
  ACS,
  '--audience',
  'https://eu-api.mimecast.com/sso/CUK12A34',
];

interface CheckedJson {
  ok: boolean;
  responses: {
    index: number;
    source: string;
    url: string | null;
    time: string | null;
    timeKind: string | null;
    judgedAt: string;
    ok: boolean;
    checks: { id: string; status: string; code?: string }[];
  }[];
}

/** One line on stderr with the error's code, nothing on stdout, no stack frames. */
function assertRefused(result: { code: number; stdout: string; stderr: string }, code: string): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`\\b${code}\\b`));
  assert.doesNotMatch(result.stderr, /^\s+at /m);
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

  test('a HAR export: every SAMLResponse, each with its URL and the time it was sent; exit 1 when one fails', async () => {
    const result = await check(`${FIXTURES}/sign-in.har`, ['--json'], fixtureArgs);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as CheckedJson;
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.responses.map((r) => [r.index, r.source, r.url, r.time, r.judgedAt, r.ok]),
      [
        [1, 'har', ACS, '2026-11-30T10:00:02.481Z', '2026-11-30T10:00:02.481Z', true],
        [2, 'har', ACS, '2026-11-30T10:05:01.112Z', '2026-11-30T10:05:01.112Z', false],
      ],
    );
    assert.equal(report.responses[1]?.checks.find((c) => c.id === 'audience')?.code, 'SP_AUDIENCE_MISMATCH');
    const text = await check(`${FIXTURES}/sign-in.har`, [], fixtureArgs);
    assert.equal(text.code, 1);
    for (const time of ['2026-11-30T10:00:02.481Z', '2026-11-30T10:05:01.112Z']) assert.ok(text.stdout.includes(time), time);
  });

  test('a SAML-tracer export, plain or with hashed values: exit 0, judged at --now', async () => {
    for (const name of ['saml-tracer-export.json', 'saml-tracer-export-hashed.json']) {
      const result = await check(`${FIXTURES}/${name}`, ['--json', '--now', '2026-11-30T11:21:00Z'], fixtureArgs);
      assert.equal(result.code, 0, name);
      const report = JSON.parse(result.stdout) as CheckedJson;
      assert.deepEqual(
        report.responses.map((r) => [r.source, r.url, r.time, r.timeKind, r.judgedAt, r.ok]),
        [['saml-tracer', ACS, '2026-11-30T11:24:37.918Z', 'exported', '2026-11-30T11:21:00.000Z', true]],
        name,
      );
    }
  });

  test('a capture without any SAMLResponse: CAPTURE_HAS_NO_RESPONSE, exit 2', async () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          { startedDateTime: '2026-11-30T10:00:00.000Z', request: { method: 'GET', url: ACS, headers: [] }, response: { status: 200 } },
        ],
      },
    };
    writeFileSync(join(dir, 'empty.har'), JSON.stringify(har));
    assertRefused(await check(join(dir, 'empty.har'), [], fixtureArgs), 'CAPTURE_HAS_NO_RESPONSE');
  });

  test('a capture path that does not exist is INPUT_NOT_FOUND, exit 2, not read as base64', async () => {
    assertRefused(await check(join(dir, 'no-such-capture.har')), 'INPUT_NOT_FOUND');
  });

  test('a missing --cert or --metadata file is INPUT_NOT_FOUND naming the option, exit 2', async () => {
    writeFileSync(join(dir, 'response.b64'), built.base64);
    const base = ['--acs', URLS.localAcsUrl, '--audience', URLS.entraIdentifier];
    const cert = await check(join(dir, 'response.b64'), ['--cert', join(dir, 'missing.crt')], base);
    assertRefused(cert, 'INPUT_NOT_FOUND');
    assert.match(cert.stderr, /--cert/);
    const metadata = await check(join(dir, 'response.b64'), ['--metadata', join(dir, 'missing.xml')], base);
    assertRefused(metadata, 'INPUT_NOT_FOUND');
    assert.match(metadata.stderr, /--metadata/);
  });
});
