import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type ConfigProblem, isLoopbackHost, loadConfig } from '../../../src/config/load.js';
import { AppError } from '../../../src/core/errors.js';

function catchError(load: () => unknown): AppError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

function problemsOf(error: AppError): ConfigProblem[] {
  return error.details as ConfigProblem[];
}

describe('loadConfig: bad values', () => {
  it('reports every bad setting at once, each with its source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'traces:\n  maxCount: -1\n');
    const error = catchError(() =>
      loadConfig({
        file,
        env: { MOCK_MIMECAST_SP_PORT: '70000', MOCK_MIMECAST_LOG_LEVEL: 'loud', MOCK_MIMECAST_CLOCK_SKEW: '-5' },
        argv: { idpPort: 'abc', publicUrl: 'ftp://sp.example.test' },
      }),
    );
    const found = problemsOf(error).map((p) => [p.path, p.source, p.value]);
    assert.deepEqual(found.sort(), [
      ['idp.port', 'flag', 'abc'],
      ['logLevel', 'env', 'loud'],
      ['saml.clockSkewSeconds', 'env', '-5'],
      ['sp.port', 'env', '70000'],
      ['sp.publicBaseUrl', 'flag', 'ftp://sp.example.test'],
      ['traces.maxCount', 'file', -1],
    ]);
    for (const p of problemsOf(error)) assert.ok(error.message.includes(p.path), `message names ${p.path}`);
    assert.equal(problemsOf(error).find((p) => p.path === 'sp.port')?.name, 'MOCK_MIMECAST_SP_PORT');
    assert.equal(problemsOf(error).find((p) => p.path === 'idp.port')?.name, '--idp-port');
  });

  it('refuses ports out of range or not whole numbers', () => {
    for (const value of ['-1', '65536', '80.5', 'http']) {
      const error = catchError(() => loadConfig({ env: {}, argv: { spPort: value } }));
      assert.deepEqual(
        problemsOf(error).map((p) => p.path),
        ['sp.port'],
        value,
      );
    }
    assert.equal(loadConfig({ env: {}, argv: { spPort: 0 } }).sp.port, 0, '0 asks the OS for a free port');
  });

  it('refuses URLs that are not http(s) base URLs', () => {
    for (const value of ['localhost:3000', 'ftp://x.test', 'http://x.test/?a=1', 'http://u:p@x.test', 'not a url']) {
      const error = catchError(() => loadConfig({ env: { MOCK_MIMECAST_PUBLIC_URL: value } }));
      assert.deepEqual(
        problemsOf(error).map((p) => p.path),
        ['sp.publicBaseUrl'],
        value,
      );
    }
  });

  it('refuses a host given as a URL and a Redis URL of the wrong scheme', () => {
    const error = catchError(() => loadConfig({ env: { MOCK_MIMECAST_SP_HOST: 'http://0.0.0.0', REDIS_URL: 'http://redis:6379' } }));
    assert.deepEqual(
      problemsOf(error)
        .map((p) => p.path)
        .sort(),
      ['redisUrl', 'sp.host'],
    );
  });

  it('never echoes secrets', () => {
    const error = catchError(() => loadConfig({ env: { REDIS_URL: 'http://user:hunter2@redis:6379' }, argv: { adminToken: '' } }));
    assert.ok(!error.message.includes('hunter2'));
    assert.ok(!JSON.stringify(error.details).includes('hunter2'));
  });
});

describe('loadConfig: admin token beyond loopback', () => {
  it('refuses a non-loopback SP host without a token', () => {
    const error = catchError(() => loadConfig({ env: { MOCK_MIMECAST_SP_HOST: '0.0.0.0' } }));
    assert.deepEqual(
      problemsOf(error).map((p) => [p.path, p.source, p.value]),
      [['sp.host', 'env', '0.0.0.0']],
    );
    assert.ok(error.hint.includes('--admin-token'));
  });

  it('refuses a non-loopback IdP host without a token, unless the IdP is off', () => {
    const error = catchError(() => loadConfig({ env: {}, argv: { idpHost: '0.0.0.0' } }));
    assert.deepEqual(
      problemsOf(error).map((p) => [p.path, p.source]),
      [['idp.host', 'flag']],
    );
    assert.equal(loadConfig({ env: {}, argv: { idpHost: '0.0.0.0', idp: false } }).idp.enabled, false);
  });

  it('accepts a non-loopback host with a token from any layer', () => {
    const env = { MOCK_MIMECAST_SP_HOST: '0.0.0.0', MOCK_MIMECAST_IDP_HOST: '::' };
    assert.equal(loadConfig({ env: { ...env, MOCK_MIMECAST_ADMIN_TOKEN: 's3cret' } }).adminToken, 's3cret');
    assert.equal(loadConfig({ env, argv: { adminToken: 's3cret' } }).sp.host, '0.0.0.0');
  });

  it('treats 127.0.0.0/8, ::1 and localhost as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '127.0.0.1.example.test', 'localhost.example.test']) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });
});
