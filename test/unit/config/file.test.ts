import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaults } from '../../../src/config/defaults.js';
import { type ConfigProblem, loadConfig } from '../../../src/config/load.js';
import { AppError } from '../../../src/core/errors.js';

function writeYaml(text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-config-'));
  const path = join(dir, 'mock-mimecast.yaml');
  writeFileSync(path, text);
  return { dir, path };
}

function catchProblems(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.details as ConfigProblem[];
  }
  assert.fail('expected CONFIG_INVALID');
}

const sample = `
sp:
  port: 4000
  publicBaseUrl: https://sp.example.test/
saml:
  clockSkewSeconds: 60
metadata:
  allowedHosts: [localhost, idp.test]
logLevel: warn
`;

describe('loadConfig: YAML file', () => {
  it('reads settings from the file over the defaults', () => {
    const { path } = writeYaml(sample);
    const config = loadConfig({ env: {}, file: path });
    assert.equal(config.sp.port, 4000);
    assert.equal(config.sp.publicBaseUrl, 'https://sp.example.test');
    assert.equal(config.saml.clockSkewSeconds, 60);
    assert.equal(config.saml.maxSamlBytes, 256 * 1024, 'unset settings keep their default');
    assert.deepEqual(config.metadata.allowedHosts, ['localhost', 'idp.test']);
    assert.equal(config.logLevel, 'warn');
  });

  it('finds the file through --config, MOCK_MIMECAST_CONFIG, and relative to cwd', () => {
    const { dir, path } = writeYaml(sample);
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_CONFIG: path } }).sp.port, 4000);
    assert.equal(loadConfig({ env: {}, argv: { config: path } }).sp.port, 4000);
    assert.equal(loadConfig({ env: {}, file: 'mock-mimecast.yaml', cwd: dir }).sp.port, 4000);
  });

  it('lets --config win over the file argument and file: null skip MOCK_MIMECAST_CONFIG', () => {
    const { path } = writeYaml(sample);
    assert.equal(loadConfig({ env: {}, file: '/nonexistent.yaml', argv: { config: path } }).sp.port, 4000);
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_CONFIG: '/nonexistent.yaml' }, file: null }).sp.port, 3000);
  });

  it('is overridden by the environment and by flags', () => {
    const { path } = writeYaml(sample);
    const config = loadConfig({
      env: { MOCK_MIMECAST_SP_PORT: '4500', MOCK_MIMECAST_LOG_LEVEL: 'error' },
      file: path,
      argv: { logLevel: 'debug' },
    });
    assert.equal(config.sp.port, 4500);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.saml.clockSkewSeconds, 60);
  });

  it('ships an example file that lists the defaults', () => {
    const example = fileURLToPath(new URL('../../../mock-mimecast.example.yaml', import.meta.url));
    assert.deepEqual(loadConfig({ env: {}, file: example }), defaults);
  });

  it('accepts an empty file and explicit nulls', () => {
    assert.equal(loadConfig({ env: {}, file: writeYaml('').path }).sp.port, 3000);
    assert.equal(loadConfig({ env: {}, file: writeYaml('redisUrl: null\nadminToken: null\n').path }).redisUrl, null);
  });

  it('refuses unknown keys with their path, at any depth', () => {
    const { path } = writeYaml('sp:\n  prot: 4000\nlogLevl: debug\n');
    const problems = catchProblems(() => loadConfig({ env: {}, file: path }));
    assert.deepEqual(problems.map((p) => [p.path, p.source, p.name]).sort(), [
      ['logLevl', 'file', path],
      ['sp.prot', 'file', path],
    ]);
  });

  it('refuses wrongly typed values, naming the file', () => {
    const { path } = writeYaml('sp: 5\nsaml:\n  refuseSha1: "yes"\n  maxSamlBytes: 0\n');
    const problems = catchProblems(() => loadConfig({ env: {}, file: path }));
    assert.deepEqual(problems.map((p) => p.path).sort(), ['saml.maxSamlBytes', 'saml.refuseSha1', 'sp']);
    assert.ok(problems.every((p) => p.source === 'file' && p.name === path));
  });

  it('refuses a file that does not exist, naming it', () => {
    const problems = catchProblems(() => loadConfig({ env: {}, file: '/nonexistent/mock-mimecast.yaml' }));
    assert.equal(problems.length, 1);
    assert.deepEqual([problems[0]?.path, problems[0]?.source, problems[0]?.value], ['', 'file', '/nonexistent/mock-mimecast.yaml']);
  });

  it('refuses a file that is not YAML, or not a mapping', () => {
    for (const text of ['sp: [unclosed\n', 'a: 1\na: 2\n', '- just\n- a list\n', 'plain text']) {
      const { path } = writeYaml(text);
      const problems = catchProblems(() => loadConfig({ env: {}, file: path }));
      assert.equal(problems.length, 1, text);
      assert.equal(problems[0]?.source, 'file');
      assert.equal(problems[0]?.value, path);
    }
  });

  it('still reports environment problems when the file is broken', () => {
    const problems = catchProblems(() => loadConfig({ env: { MOCK_MIMECAST_SP_PORT: 'x' }, file: '/nonexistent.yaml' }));
    assert.deepEqual(problems.map((p) => p.source).sort(), ['env', 'file']);
  });
});
