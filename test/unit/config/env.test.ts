import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configKeys, loadConfig } from '../../../src/config/load.js';
import { readPath } from '../../../src/config/schema.js';
import { AppError } from '../../../src/core/errors.js';

/** Every environment variable, a value for it, and where that value must land. */
const cases: Array<{ name: string; value: string; path: string; expected: unknown }> = [
  { name: 'MOCK_MIMECAST_SP_PORT', value: '4000', path: 'sp.port', expected: 4000 },
  { name: 'PORT', value: '4001', path: 'sp.port', expected: 4001 },
  { name: 'MOCK_MIMECAST_SP_HOST', value: 'localhost', path: 'sp.host', expected: 'localhost' },
  { name: 'MOCK_MIMECAST_PUBLIC_URL', value: 'https://sp.example.test', path: 'sp.publicBaseUrl', expected: 'https://sp.example.test' },
  { name: 'MOCK_MIMECAST_IDP_PORT', value: '4002', path: 'idp.port', expected: 4002 },
  { name: 'MOCK_MIMECAST_IDP_HOST', value: '127.0.0.2', path: 'idp.host', expected: '127.0.0.2' },
  {
    name: 'MOCK_MIMECAST_IDP_PUBLIC_URL',
    value: 'https://idp.example.test',
    path: 'idp.publicBaseUrl',
    expected: 'https://idp.example.test',
  },
  { name: 'MOCK_MIMECAST_NO_IDP', value: 'true', path: 'idp.enabled', expected: false },
  { name: 'MOCK_MIMECAST_ADMIN_TOKEN', value: 'env-token', path: 'adminToken', expected: 'env-token' },
  { name: 'MOCK_MIMECAST_DB', value: '/tmp/x.sqlite', path: 'databasePath', expected: '/tmp/x.sqlite' },
  { name: 'REDIS_URL', value: 'redis://redis:6379', path: 'redisUrl', expected: 'redis://redis:6379' },
  { name: 'MOCK_MIMECAST_SESSION_SECRET', value: 'cookie-secret', path: 'sessionSecret', expected: 'cookie-secret' },
  { name: 'MOCK_MIMECAST_CLOCK_SKEW', value: '0', path: 'saml.clockSkewSeconds', expected: 0 },
  { name: 'MOCK_MIMECAST_REFUSE_SHA1', value: 'yes', path: 'saml.refuseSha1', expected: true },
  { name: 'MOCK_MIMECAST_LOG_LEVEL', value: 'silent', path: 'logLevel', expected: 'silent' },
  {
    name: 'MOCK_MIMECAST_METADATA_ALLOWED_HOSTS',
    value: 'idp.test, localhost,,',
    path: 'metadata.allowedHosts',
    expected: ['idp.test', 'localhost'],
  },
  { name: 'MOCK_MIMECAST_NO_SEED', value: '1', path: 'seed', expected: 'none' },
  { name: 'MOCK_MIMECAST_SEED', value: 'before-tutorial', path: 'seed', expected: 'before-tutorial' },
  { name: 'MOCK_MIMECAST_METADATA_MONITOR_INTERVAL', value: '60', path: 'metadata.monitorIntervalSeconds', expected: 60 },
  { name: 'MOCK_MIMECAST_TLS', value: 'true', path: 'tls.enabled', expected: true },
  { name: 'MOCK_MIMECAST_TLS_DIR', value: '/tmp/tls', path: 'tls.dir', expected: '/tmp/tls' },
];

describe('loadConfig: environment variables', () => {
  for (const { name, value, path, expected } of cases) {
    it(`${name} sets ${path}`, () => {
      assert.deepEqual(readPath(loadConfig({ env: { [name]: value } }), path), expected);
    });
  }

  it('lists every environment variable in configKeys', () => {
    const listed = configKeys.flatMap((key) => key.env);
    for (const { name } of cases) assert.ok(listed.includes(name), `${name} is in configKeys`);
  });

  it('prefers MOCK_MIMECAST_SP_PORT over PORT', () => {
    assert.equal(loadConfig({ env: { PORT: '5000', MOCK_MIMECAST_SP_PORT: '5001' } }).sp.port, 5001);
  });

  it('reads booleans from true/false/1/0/yes/no in any case', () => {
    const truthy = ['true', 'TRUE', '1', 'yes', 'Yes', ' true '];
    const falsy = ['false', 'False', '0', 'no', 'NO'];
    for (const value of truthy) assert.equal(loadConfig({ env: { MOCK_MIMECAST_REFUSE_SHA1: value } }).saml.refuseSha1, true, value);
    for (const value of falsy) assert.equal(loadConfig({ env: { MOCK_MIMECAST_REFUSE_SHA1: value } }).saml.refuseSha1, false, value);
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_NO_IDP: 'no' } }).idp.enabled, true);
  });

  it('refuses any other boolean spelling', () => {
    for (const value of ['on', 'off', 'y', '2', 'enabled']) {
      assert.throws(
        () => loadConfig({ env: { MOCK_MIMECAST_REFUSE_SHA1: value } }),
        (error: unknown) => error instanceof AppError && error.code === 'CONFIG_INVALID',
        value,
      );
    }
  });
});

describe('configKeys', () => {
  it('covers every setting in Config exactly once, with its default', () => {
    const leaves = listLeafPaths(loadConfig({ env: {}, file: null }));
    assert.deepEqual([...configKeys.map((key) => key.path)].sort(), leaves.sort());
    const port = configKeys.find((key) => key.path === 'sp.port');
    assert.equal(port?.default, 3000);
    assert.deepEqual(port?.env, ['MOCK_MIMECAST_SP_PORT', 'PORT']);
  });

  it('gives every setting a reason and a distinct flag', () => {
    for (const key of configKeys) assert.ok(key.why.length > 10, `${key.path} has a why`);
    const flags = configKeys.map((key) => key.flag).filter((flag) => flag !== null);
    assert.equal(new Set(flags).size, flags.length);
  });
});

function listLeafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    child !== null && typeof child === 'object' && !Array.isArray(child) ? listLeafPaths(child, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
