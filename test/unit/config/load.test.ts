import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaults } from '../../../src/config/defaults.js';
import { loadConfig } from '../../../src/config/load.js';
import { AppError } from '../../../src/core/errors.js';

describe('loadConfig: defaults and precedence', () => {
  it('returns the defaults when nothing is given', () => {
    const config = loadConfig({ env: {}, file: null });
    assert.deepEqual(config, defaults);
    assert.notEqual(config, defaults, 'a copy, so callers cannot change the defaults');
    assert.notEqual(config.metadata.allowedHosts, defaults.metadata.allowedHosts);
  });

  it('does not read process.env when an env is passed', () => {
    process.env.MOCK_MIMECAST_SP_PORT = '4444';
    try {
      assert.equal(loadConfig({ env: {} }).sp.port, 3000);
      assert.equal(loadConfig({ env: {}, file: null }).sp.port, 3000);
    } finally {
      delete process.env.MOCK_MIMECAST_SP_PORT;
    }
  });

  it('lets the environment override the defaults', () => {
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_SP_PORT: '4000' } }).sp.port, 4000);
  });

  it('lets flags override the environment', () => {
    const config = loadConfig({ env: { MOCK_MIMECAST_SP_PORT: '4000', MOCK_MIMECAST_LOG_LEVEL: 'warn' }, argv: { spPort: 5000 } });
    assert.equal(config.sp.port, 5000);
    assert.equal(config.logLevel, 'warn', 'settings without a flag keep their environment value');
  });

  it('accepts flag values as the strings commander hands over', () => {
    const config = loadConfig({ env: {}, argv: { spPort: '4100', idpPort: '4101', clockSkew: '30' } });
    assert.equal(config.sp.port, 4100);
    assert.equal(config.idp.port, 4101);
    assert.equal(config.saml.clockSkewSeconds, 30);
  });

  it('maps every flag to its setting', () => {
    const config = loadConfig({
      env: {},
      argv: {
        spHost: 'localhost',
        publicUrl: 'https://sp.example.test',
        idpHost: '::1',
        idpPublicUrl: 'https://idp.example.test',
        idp: false,
        adminToken: 'flag-token',
        db: ':memory:',
        redisUrl: 'redis://127.0.0.1:6379',
        refuseSha1: true,
        logLevel: 'debug',
        seed: false,
        tls: true,
        tlsDir: '/srv/tls',
      },
    });
    assert.equal(config.sp.host, 'localhost');
    assert.equal(config.sp.publicBaseUrl, 'https://sp.example.test');
    assert.equal(config.idp.host, '::1');
    assert.equal(config.idp.publicBaseUrl, 'https://idp.example.test');
    assert.equal(config.idp.enabled, false);
    assert.equal(config.adminToken, 'flag-token');
    assert.equal(config.databasePath, ':memory:');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(config.saml.refuseSha1, true);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.seed, 'none');
    assert.equal(config.tls.enabled, true);
    assert.equal(config.tls.dir, '/srv/tls');
  });

  it('reads idp: true and seed: true from commander as "flag not given"', () => {
    const config = loadConfig({ env: { MOCK_MIMECAST_NO_IDP: '1', MOCK_MIMECAST_NO_SEED: 'yes' }, argv: { idp: true, seed: true } });
    assert.equal(config.idp.enabled, false);
    assert.equal(config.seed, 'none');
  });

  it('reads the seed mode from --seed, MOCK_MIMECAST_SEED and files that still say true or false', () => {
    assert.equal(loadConfig({ env: {}, file: null }).seed, 'ready');
    assert.equal(loadConfig({ env: {}, file: null, argv: { seed: 'before-tutorial' } }).seed, 'before-tutorial');
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_SEED: 'none' }, file: null }).seed, 'none');
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_SEED: 'true' }, file: null }).seed, 'ready');
    assert.equal(loadConfig({ env: {}, file: null, overrides: { seed: true } }).seed, 'ready');
    assert.equal(loadConfig({ env: {}, file: null, overrides: { seed: false } }).seed, 'none');
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_SEED: 'ready' }, file: null, argv: { seed: false } }).seed, 'none');
    assert.throws(
      () => loadConfig({ env: { MOCK_MIMECAST_SEED: 'half' }, file: null }),
      (error: { code?: string; details?: { path: string }[] }) =>
        error.code === 'CONFIG_INVALID' && (error.details ?? []).some((d) => d.path === 'seed'),
    );
  });

  it('ignores undefined flags and empty environment variables', () => {
    const config = loadConfig({ env: { MOCK_MIMECAST_SP_PORT: '', MOCK_MIMECAST_ADMIN_TOKEN: '  ' }, argv: { spPort: undefined } });
    assert.equal(config.sp.port, 3000);
    assert.equal(config.adminToken, null);
  });
});

describe('loadConfig: public URLs', () => {
  it('removes a trailing slash wherever the URL comes from', () => {
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_PUBLIC_URL: 'http://localhost:3000/' } }).sp.publicBaseUrl, 'http://localhost:3000');
    assert.equal(
      loadConfig({ env: {}, argv: { idpPublicUrl: 'https://idp.example.test//' } }).idp.publicBaseUrl,
      'https://idp.example.test',
    );
    assert.equal(
      loadConfig({ env: {}, argv: { publicUrl: 'https://proxy.example.test/mimecast/' } }).sp.publicBaseUrl,
      'https://proxy.example.test/mimecast',
    );
  });

  it('derives the public URL from the port when only the port was set', () => {
    const config = loadConfig({ env: { PORT: '8080' }, argv: { idpPort: 9090 } });
    assert.equal(config.sp.publicBaseUrl, 'http://localhost:8080');
    assert.equal(config.idp.publicBaseUrl, 'http://localhost:9090');
  });

  it('derives an https public URL for the SP (only) when TLS is on', () => {
    assert.equal(loadConfig({ env: {}, argv: { tls: true } }).sp.publicBaseUrl, 'https://localhost:3000');
    const config = loadConfig({ env: { MOCK_MIMECAST_TLS: '1' }, argv: { spPort: 8443, idpPort: 9090 } });
    assert.equal(config.sp.publicBaseUrl, 'https://localhost:8443');
    assert.equal(config.idp.publicBaseUrl, 'http://localhost:9090');
    const explicit = loadConfig({ env: {}, argv: { tls: true, spPort: 443, publicUrl: 'https://eu-api.mimecast.com' } });
    assert.equal(explicit.sp.publicBaseUrl, 'https://eu-api.mimecast.com');
  });

  it('refuses a metadata monitor interval under 10 seconds', () => {
    assert.throws(
      () => loadConfig({ env: { MOCK_MIMECAST_METADATA_MONITOR_INTERVAL: '5' } }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFIG_INVALID' &&
        JSON.stringify(error.details).includes('metadata.monitorIntervalSeconds'),
    );
    assert.equal(loadConfig({ env: { MOCK_MIMECAST_METADATA_MONITOR_INTERVAL: '10' } }).metadata.monitorIntervalSeconds, 10);
  });

  it('keeps an explicit public URL even when the port changes', () => {
    const config = loadConfig({ env: { MOCK_MIMECAST_PUBLIC_URL: 'https://sp.example.test' }, argv: { spPort: 8080 } });
    assert.equal(config.sp.publicBaseUrl, 'https://sp.example.test');
    assert.equal(config.sp.port, 8080);
  });
});
