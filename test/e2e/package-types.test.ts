/**
 * The published package, as a TypeScript user installs it: packed, installed into a fresh project with
 * `"strict": true` (and no skipLibCheck), a sample of the public API type-checked with the repository's
 * tsc and run; the CLI started from the installed copy. Bounded: every step has a timeout, and the
 * temporary folder is removed afterwards.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  copyCheckout,
  type PackReport,
  parsePackReport,
  REPO_MODULES,
  REPO_ROOT,
  runNpm,
  writeConsumerProject,
} from '../_helpers/packed-package.js';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A user's test file: the harness, both sign-in helpers, the test browser and the offline check. */
const SAMPLE = `
import {
  AppError, buildEntraResponse, checkCapturedResponse, type CheckResult, type Credentials, type Harness,
  IDP_SEED, readKeyPair, readSpKeys, SEED, signInIdpInitiated, signInSpInitiated, type SignInResult,
  startTestHarness, TestBrowser,
} from 'mock-mimecast';

const h: Harness = await startTestHarness({ saml: { refuseSha1: true } });
try {
  const credentials: Credentials = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };
  const sp: SignInResult = await signInSpInitiated(h, credentials);
  const appId = h.walkthrough.idp?.appId;
  if (appId === undefined) throw new Error('no Entra app was seeded');
  const idp = await signInIdpInitiated(h, appId, credentials);
  const health = await new TestBrowser().get(h.spUrl + '/api/health');

  const key = readKeyPair('idp-signing-1');
  const acsUrl = h.spUrl + '/login/saml';
  const audience = 'https://eu-api.mimecast.com/sso/' + SEED.accountCode;
  const response = buildEntraResponse({
    tenantId: h.walkthrough.idp?.tenantId ?? '',
    destination: acsUrl,
    audience,
    user: { userPrincipalName: SEED.userEmail, objectId: crypto.randomUUID(), displayName: 'B. Simon' },
    issueInstant: new Date(),
    ids: { responseId: '_' + crypto.randomUUID(), assertionId: '_' + crypto.randomUUID() },
    signing: { key: key.key, cert: key.cert, option: 'assertion', algorithm: 'sha256' },
  });
  const offline = await checkCapturedResponse({
    samlResponse: response.base64, certificates: [key.cert], issuer: null, acsUrl, audience, now: new Date(),
    clockFrozen: false, validation: { clockSkewMs: 180_000, refuseSha1: false, maxSamlBytes: 262_144 }, decryptionKey: readSpKeys().encryptionKey,
  });
  const failed: CheckResult[] = offline.checks.filter((c) => c.status === 'fail');

  let badOverride: string | null = null;
  try {
    await startTestHarness({ sp: { port: 70_000 } });
  } catch (error) {
    badOverride = error instanceof AppError ? error.code : 'not an AppError';
  }
  console.log(JSON.stringify({ sp: sp.ok, account: sp.session?.accountCode ?? null, idp: idp.ok, health: health.status, offline: offline.ok, failed: failed.length, badOverride }));
} finally {
  await h.close();
}
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', types: ['node'] },
  include: ['sample.ts'],
};

describe('the packed package', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-package-'));
  const checkout = join(dir, 'checkout');
  const consumer = join(dir, 'consumer');
  let listing: PackReport;
  let tarball: string;

  before(async () => {
    copyCheckout(checkout);
    // The dry run builds dist/ through `prepare`, as `npm publish` would; the real pack reuses that build.
    listing = parsePackReport(await runNpm(checkout, ['pack', '--dry-run', '--json']));
    const packed = parsePackReport(await runNpm(checkout, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir]));
    tarball = join(dir, packed.filename);
    mkdirSync(consumer);
    writeConsumerProject(consumer, tarball, packed);
    // --ignore-scripts: better-sqlite3's install would compile SQLite offline for minutes; its native
    // addon is linked from this repository's install instead (same version, same Node).
    await runNpm(consumer, ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund']);
    symlinkSync(join(REPO_MODULES, 'better-sqlite3', 'build'), join(consumer, 'node_modules', 'better-sqlite3', 'build'), 'dir');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('holds what a user needs and none of the tests or benchmarks', () => {
    const paths = new Set(listing.files.map((f) => f.path));
    for (const needed of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.d.ts.map',
      'dist/cli/main.js',
      'bin/mock-mimecast.js',
      'certs/idp-signing-1.crt',
      'LICENSE',
      'README.md',
      'openapi.yaml',
      'package.json',
    ]) {
      assert.ok(paths.has(needed), needed);
    }
    assert.ok(
      [...paths].some((p) => p.startsWith('dist/http/views/')),
      'the views beside the compiled code',
    );
    assert.deepEqual(
      [...paths].filter((p) => /^(test|bench)\//.test(p) || p === 'tsconfig.json'),
      [],
    );
  });

  test('a strict TypeScript project type-checks the public API with 0 errors, and it runs', async () => {
    writeFileSync(join(consumer, 'sample.ts'), SAMPLE);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const typeCheck = await run(TSC, ['-p', 'tsconfig.json'], { cwd: consumer, timeout: 120_000 }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    assert.deepEqual(typeCheck, { code: 0, stdout: '' });
    const { stdout } = await run(process.execPath, ['out/sample.js'], { cwd: consumer, timeout: 60_000 });
    assert.deepEqual(JSON.parse(stdout), {
      sp: true,
      account: 'CUK12A34',
      idp: true,
      health: 200,
      offline: true,
      failed: 0,
      badOverride: 'CONFIG_INVALID',
    });
  });

  test('the installed CLI runs the compiled code, without tsx', async () => {
    assert.equal(existsSync(join(consumer, 'node_modules', 'tsx')), false, 'tsx is a development dependency');
    const bin = join(consumer, 'node_modules', 'mock-mimecast', 'bin', 'mock-mimecast.js');
    const version = await run(process.execPath, [bin, '--version'], { cwd: consumer, timeout: 30_000 });
    assert.equal(version.stdout.trim(), VERSION);
    const help = await run(process.execPath, [bin, 'check', '--help'], { cwd: consumer, timeout: 30_000 });
    assert.match(help.stdout, /--metadata/);
  });
});
