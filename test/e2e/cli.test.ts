/**
 * The command line as a person meets it: --version, the help with its exit codes and variables,
 * mistyped commands, and the things a user gets wrong, each on one line with a code and exit 2.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listEnvironmentVariables } from '../../src/cli/help-text.js';
import { findFreePort } from '../_helpers/ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'mock-mimecast.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with a clean environment (no MOCK_MIMECAST_* of the developer's) and a time bound. */
function runCli(args: string[], timeoutMs = 30_000): Promise<Ran> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('MOCK_MIMECAST_') && key !== 'PORT' && key !== 'REDIS_URL'),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** One line, no stack frames: what a user mistake must look like on stderr. */
function assertOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('mock-mimecast, the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--version prints the package version, exit 0', async () => {
    const ran = await runCli(['--version']);
    assert.deepEqual([ran.code, ran.stdout.trim()], [0, VERSION]);
  });

  test('--help and start --help: exit 0, the exit codes and every environment variable', async () => {
    const [top, start] = await Promise.all([runCli(['--help']), runCli(['start', '--help'])]);
    for (const ran of [top, start]) {
      assert.equal(ran.code, 0);
      for (const code of [0, 1, 2]) assert.match(ran.stdout, new RegExp(`^  ${code}  `, 'm'));
      for (const { name } of listEnvironmentVariables()) assert.match(ran.stdout, new RegExp(`^  ${name} `, 'm'), name);
    }
    // The negative flags say what they do, not what the setting they turn off does.
    assert.match(start.stdout, /^ {2}--no-idp +Do not run the mock Entra/m);
    assert.match(start.stdout, /^ {2}--no-seed +Seed nothing/m);
  });

  test('an unknown command is a usage error naming the nearest command, exit 2, and nothing starts', async () => {
    const ran = await runCli(['strat', '--sp-port', '1']);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /\bstrat\b/);
    assert.match(ran.stderr, /\bstart\b/);
    assert.equal(ran.stdout, '');
  });

  test('usage errors exit 2: an unknown option, a missing required option', async () => {
    const [option, missing] = await Promise.all([
      runCli(['check', 'x.har', '--acs', 'a', '--audience', 'b', '--certs', 'c']),
      runCli(['check', 'x.har', '--acs', 'a']),
    ]);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--certs/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--audience/);
  });

  test('an invalid setting: CONFIG_INVALID on one line, exit 2', async () => {
    const ran = await runCli(['start', '--sp-port', 'three-thousand', '--db', ':memory:']);
    assert.equal(ran.code, 2);
    assertOneLine(ran.stderr);
    assert.match(ran.stderr, /\bCONFIG_INVALID\b/);
    assert.match(ran.stderr, /--sp-port/);
  });

  describe('a port already in use', () => {
    let busy: Server;
    let busyPort: number;
    before(async () => {
      busyPort = await findFreePort();
      busy = await occupy(busyPort);
    });
    after(() => new Promise<void>((done) => busy.close(() => done())));

    test("the SP's: PORT_IN_USE, the port, --sp-port and its variable, one line, exit 2", async () => {
      const ran = await runCli(['start', '--sp-port', String(busyPort), '--idp-port', String(await findFreePort()), '--db', ':memory:']);
      assert.equal(ran.code, 2);
      assertOneLine(ran.stderr);
      for (const part of ['PORT_IN_USE', String(busyPort), '--sp-port', 'MOCK_MIMECAST_SP_PORT'])
        assert.ok(ran.stderr.includes(part), part);
    });

    test("the mock Entra's: the same with --idp-port, started without a command", async () => {
      const ran = await runCli(['--sp-port', String(await findFreePort()), '--idp-port', String(busyPort), '--db', ':memory:']);
      assert.equal(ran.code, 2);
      assertOneLine(ran.stderr);
      for (const part of ['PORT_IN_USE', String(busyPort), '--idp-port', 'MOCK_MIMECAST_IDP_PORT'])
        assert.ok(ran.stderr.includes(part), part);
    });
  });

  test('conformance --junit into a folder that does not exist creates it, exit 0', async () => {
    const junit = join(dir, 'reports', 'nested', 'conformance.xml');
    const ran = await runCli(['conformance', '--filter', 'wrong-audience', '--json', '--junit', junit], 60_000);
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok(existsSync(junit));
    assert.match(readFileSync(junit, 'utf8'), /<testsuites?\b/);
    assert.equal((JSON.parse(ran.stdout) as { failed: number }).failed, 0);
  });
});
