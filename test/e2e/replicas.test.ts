/**
 * Two SP replicas behind one public URL, built as production builds them (Config → stores → app) and
 * listening on 127.0.0.1. With Redis they behave as one: a sign-in started on one completes on the
 * other, the cookie works on both, and a response used on one is a replay on the other. Without Redis
 * the same cross-replica sign-in fails, which shows these tests can fail.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { type Config, defaults } from '../../src/config/defaults.js';
import type { BuiltResponse } from '../../src/core/idp/response-builder.js';
import { type Account, buildAccountUrls, buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../../src/core/sp/accounts.js';
import type { Trace } from '../../src/core/sp/traces.js';
import { buildSpRuntime } from '../../src/runtime/sp-runtime.js';
import type { RuntimeStores } from '../../src/runtime/stores.js';
import { listen } from '../../src/server.js';
import { closeRedis, connectRedis, type RedisClientType } from '../../src/store/redis/index.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { startRedisServer, type TestRedisServer } from '../_helpers/redis-server.js';
import { ENTRA_PROFILE } from '../_helpers/sp-harness.js';

const PUBLIC_BASE_URL = 'http://mimecast.lb.test';
const SESSION_SECRET = 'replicas-share-this-session-secret';
const ACCOUNT: Account = { code: 'CUK12A34', region: 'eu', name: 'Contoso', domains: ['contoso.com'], createdAt: new Date().toISOString() };
const USER_EMAIL = 'B.Simon@contoso.com';
const URLS = buildAccountUrls(ACCOUNT, PUBLIC_BASE_URL);

interface Replica {
  url: string;
  stores: RuntimeStores;
  close(): Promise<void>;
}

/** One replica built exactly as production builds it (buildSpRuntime), listening on a free loopback port. */
async function startReplica(config: Config): Promise<Replica> {
  const runtime = await buildSpRuntime(config, { logger: pino({ level: 'silent' }) });
  const server = await listen(runtime.app, '127.0.0.1', 0).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  return {
    url: server.url,
    stores: runtime.stores,
    async close() {
      await server.close();
      await runtime.close();
    },
  };
}

function buildConfig(databasePath: string, redisUrl: string | null): Config {
  return {
    ...defaults,
    sp: { ...defaults.sp, host: '127.0.0.1', port: 0, publicBaseUrl: PUBLIC_BASE_URL },
    databasePath,
    redisUrl,
    sessionSecret: SESSION_SECRET,
    seed: 'none',
  };
}

async function seedAccount(stores: RuntimeStores): Promise<void> {
  const now = new Date();
  await stores.accounts.create(ACCOUNT);
  await stores.profiles.put({
    ...buildDefaultProfile(ACCOUNT.code, now),
    ...TUTORIAL_PROFILE_SWITCHES,
    ...ENTRA_PROFILE,
    accountCode: ACCOUNT.code,
  });
  await stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: USER_EMAIL,
      globalName: 'B. Simon',
      forceChangeAtLogin: false,
      roles: [],
      createdAt: now.toISOString(),
    },
    null,
  );
}

/** GET /sso/<code> on a replica; the AuthnRequest ID read from the auto-posted form. */
async function startSignIn(replica: Replica): Promise<string> {
  const res = await fetch(`${replica.url}/sso/${ACCOUNT.code}`, { redirect: 'manual' });
  assert.equal(res.status, 200);
  const field = /name="SAMLRequest" value="([^"]+)"/.exec(await res.text());
  assert.ok(field?.[1], 'the sign-in page carries a SAMLRequest form field');
  const id = /\bID="([^"]+)"/.exec(Buffer.from(field[1], 'base64').toString('utf8'));
  assert.ok(id?.[1], 'the AuthnRequest has an ID');
  return id[1];
}

function buildResponse(inResponseTo: string | null): BuiltResponse {
  return buildSignedTestResponse({
    now: new Date(),
    acsUrl: URLS.localAcsUrl,
    audience: URLS.entraIdentifier,
    email: USER_EMAIL,
    inResponseTo,
  });
}

/** POST the SAMLResponse to a replica's ACS, as the browser does after Entra. */
async function postResponse(replica: Replica, samlResponse: string): Promise<Response> {
  return fetch(`${replica.url}/login/saml`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
  });
}

/** The trace of a refused response, read through the replica that refused it. */
async function readFailureTrace(replica: Replica, res: Response): Promise<Trace> {
  const id = /<dt>Trace id<\/dt><dd><code>([^<]+)<\/code>/.exec(await res.text())?.[1];
  assert.ok(id, 'the failure page names its trace');
  const traceRes = await fetch(`${replica.url}/api/traces/${encodeURIComponent(id)}`);
  assert.equal(traceRes.status, 200);
  return (await traceRes.json()) as Trace;
}

function findCheck(trace: Trace, id: string) {
  return trace.checks.find((c) => c.id === id);
}

describe('two replicas sharing Redis and one SQLite file', { timeout: 10_000 }, () => {
  let redis: TestRedisServer;
  let dir: string;
  let a: Replica;
  let b: Replica;
  let probe: RedisClientType;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-mimecast-replicas-'));
    redis = await startRedisServer();
    const config = buildConfig(join(dir, 'sp.sqlite'), redis.url);
    a = await startReplica(config);
    b = await startReplica(config);
    await seedAccount(a.stores);
    probe = await connectRedis(redis.url);
  });
  after(async () => {
    if (probe) await closeRedis(probe);
    // Every step runs even if one before it failed, so no server or redis-server is left behind.
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('sign-in started on A completes on B, and the cookie B set is accepted by A', async () => {
    const requestId = await startSignIn(a);
    // The shared SQLite file could carry state too; these show it is Redis that does.
    assert.equal(await probe.exists(`mock-mimecast:pending:${requestId}`), 1);
    const res = await postResponse(b, buildResponse(requestId).base64);
    assert.equal(res.status, 303);
    assert.equal(await probe.exists(`mock-mimecast:pending:${requestId}`), 0);
    assert.equal(res.headers.get('location'), '/portal');
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('mm.sid='))
      ?.split(';')[0];
    assert.ok(cookie, 'B sets the session cookie');
    const sid = decodeURIComponent(cookie.slice('mm.sid='.length)).replace(/^s:/, '').split('.')[0];
    assert.equal(await probe.exists(`mock-mimecast:sess:${sid}`), 1);

    const onA = await fetch(`${a.url}/api/session`, { headers: { cookie } });
    assert.equal(onA.status, 200);
    const user = (await onA.json()) as { email: string; flow: string };
    assert.equal(user.email, USER_EMAIL);
    assert.equal(user.flow, 'sp-initiated');
    assert.equal((await fetch(`${a.url}/api/session`)).status, 401);
  });

  test('a response consumed on A is refused as a replay on B', async () => {
    const built = buildResponse(null);
    assert.equal((await postResponse(a, built.base64)).status, 303);
    assert.equal(await probe.exists(`mock-mimecast:replay:${built.assertionId}`), 1);
    const res = await postResponse(b, built.base64);
    assert.equal(res.status, 403);
    const trace = await readFailureTrace(b, res);
    assert.equal(trace.summary.firstFailure, 'SP_REPLAY');
    assert.equal(findCheck(trace, 'replay')?.code, 'SP_REPLAY');
  });

  test('one response posted to A and B at once signs in exactly once', async () => {
    // A few rounds, since a lost race shows only in some interleavings.
    for (let round = 0; round < 10; round++) {
      const samlResponse = buildResponse(await startSignIn(round % 2 === 0 ? a : b)).base64;
      const results = await Promise.all([postResponse(a, samlResponse), postResponse(b, samlResponse)]);
      await Promise.all(results.map((r) => r.arrayBuffer()));
      assert.deepEqual(results.map((r) => r.status).sort(), [303, 403], `round ${round}`);
    }
  });
});

describe('two replicas without Redis (each with its own stores)', { timeout: 10_000 }, () => {
  let a: Replica;
  let b: Replica;

  before(async () => {
    a = await startReplica(buildConfig(':memory:', null));
    b = await startReplica(buildConfig(':memory:', null));
    await seedAccount(a.stores);
    await seedAccount(b.stores);
  });
  after(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
  });

  test('sign-in started on A fails on B with SP_IN_RESPONSE_TO_UNKNOWN', async () => {
    const requestId = await startSignIn(a);
    const res = await postResponse(b, buildResponse(requestId).base64);
    assert.equal(res.status, 403);
    const trace = await readFailureTrace(b, res);
    assert.equal(trace.summary.firstFailure, 'SP_IN_RESPONSE_TO_UNKNOWN');
    assert.equal(findCheck(trace, 'in-response-to')?.code, 'SP_IN_RESPONSE_TO_UNKNOWN');
  });
});
