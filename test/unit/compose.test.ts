import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const missingBinary =
  "docker-compose was not found. Install Debian's docker-compose package (apt-get install -y docker-compose); " +
  '.ci/run installs it, and this test validates docker-compose.yml with it.';

/** Runs `docker-compose -f docker-compose.yml config` with the given extra environment. */
function runComposeConfig(env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // A missing tool must fail loudly: a skipped check would let a broken compose file through.
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') assert.fail(missingBinary);
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function buildEnv(token: string | undefined): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, MOCK_MIMECAST_ADMIN_TOKEN: token };
  if (token === undefined) delete env.MOCK_MIMECAST_ADMIN_TOKEN;
  return env;
}

interface ComposeService {
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  ports?: unknown[];
  volumes?: unknown[];
}

describe('docker-compose.yml', () => {
  it('passes docker-compose config and wires both services with health checks', () => {
    const { status, stdout, stderr } = runComposeConfig(buildEnv('compose-test-token'));
    assert.equal(status, 0, `docker-compose config failed: ${stderr}`);
    const config = parseYaml(stdout) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
    const app = config.services['mock-mimecast'];
    const redis = config.services.redis;
    assert.ok(app, 'service mock-mimecast');
    assert.ok(redis, 'service redis');

    assert.match(JSON.stringify(app.healthcheck?.test), /\/api\/health/);
    assert.deepEqual(redis.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
    assert.equal(app.depends_on?.redis?.condition, 'service_healthy');

    assert.equal(app.environment?.MOCK_MIMECAST_SP_HOST, '0.0.0.0');
    assert.equal(app.environment?.MOCK_MIMECAST_IDP_HOST, '0.0.0.0');
    assert.equal(app.environment?.MOCK_MIMECAST_ADMIN_TOKEN, 'compose-test-token');
    assert.equal(app.environment?.REDIS_URL, 'redis://redis:6379');
    assert.equal(app.ports?.length, 2);
    assert.ok(config.volumes && 'data' in config.volumes, 'named volume data');
  });

  it('refuses to render without an admin token', () => {
    const { status } = runComposeConfig(buildEnv(undefined));
    assert.notEqual(status, 0);
  });
});
