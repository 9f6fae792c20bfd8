/**
 * `start --workers 2`: two processes on one SQLite file share the ports. A genuine response posted
 * several times at once, spread over both workers by the primary, signs in exactly once: the replay
 * store's atomic insert decides across processes, not each worker's memory.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BENCH_AUDIENCE, BENCH_EMAIL, createResponseFactory } from '../../bench/lib/responses.js';
import { type ServerProcess, startServerProcess } from '../../bench/lib/server-process.js';

let server: ServerProcess;

before(async () => {
  server = await startServerProcess({
    args: ['--workers', '2'],
    env: { MOCK_MIMECAST_LOG_LEVEL: 'warn', MOCK_MIMECAST_RATE_LIMIT_ACS: '0' },
    timeoutMs: 30_000,
  });
});

after(async () => {
  await server?.stop();
});

/** Posts one SAMLResponse on its own connection; returns the status and Location. */
async function post(samlResponse: string): Promise<{ status: number; location: string | null }> {
  const res = await fetch(`${server.spUrl}/login/saml`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
    body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

test('the same genuine response posted to two workers at once signs in exactly once', async () => {
  const generate = createResponseFactory({
    acsUrl: server.replyUrl,
    audience: BENCH_AUDIENCE,
    tenantId: server.tenantId,
    email: BENCH_EMAIL,
  });
  for (const response of generate(3)) {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(response)));
    const signIns = answers.filter((a) => a.status === 303 && a.location === '/portal');
    assert.equal(signIns.length, 1, `answers: ${JSON.stringify(answers)}`);
    const again = await post(response);
    assert.notEqual(again.location, '/portal', 'a replay after the race must be refused too');
  }
});

test('a fresh response signs in on whichever worker takes it', async () => {
  const generate = createResponseFactory({
    acsUrl: server.replyUrl,
    audience: BENCH_AUDIENCE,
    tenantId: server.tenantId,
    email: BENCH_EMAIL,
  });
  const answers = await Promise.all(generate(4).map((r) => post(r)));
  assert.deepEqual(
    answers.map((a) => a.location),
    ['/portal', '/portal', '/portal', '/portal'],
  );
});
