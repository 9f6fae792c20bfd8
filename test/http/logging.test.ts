import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';
import { idp2 } from '../_helpers/test-keys.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger at info that keeps every line it writes, parsed. */
function captureLogs(): { logger: pino.Logger; lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  let raw = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, text: () => raw };
}

describe('logs at info level', () => {
  let sp: TestSp;
  let logs: ReturnType<typeof captureLogs>;
  before(async () => {
    logs = captureLogs();
    sp = createTestSp({ requireAdminToken: true, logger: logs.logger });
    await sp.seedAccount({
      code: 'CUK12A34',
      domains: ['contoso.com'],
      profile: ENTRA_PROFILE,
      users: [{ email: 'B.Simon@contoso.com', roles: ['Full Administrator'] }],
    });
  });
  after(() => sp.close());

  test('one line per request with its request id, the whole path and no query', async () => {
    const res = await request(sp.app).get('/login/saml?email=B.Simon%40contoso.com&RelayState=%2Fportal');
    const requestId = String(res.headers['x-request-id']);
    assert.match(requestId, UUID);
    const line = logs.lines.find((l) => l.msg === 'request' && l.requestId === requestId);
    assert.ok(line, 'an access line for the request');
    assert.equal(line.path, '/login/saml');
    assert.equal(line.status, res.status);

    // Behind a sub-router the path is still the one requested.
    const health = await request(sp.app).get('/api/health');
    assert.equal(logs.lines.find((l) => l.requestId === health.headers['x-request-id'])?.path, '/api/health');
  });

  test('each SAML response gets a line naming its trace and outcome, never the message or the session', async () => {
    const signed = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'B.Simon@contoso.com',
    });
    const ok = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: signed.base64, RelayState: '/portal' });
    assert.equal(ok.status, 303);
    const forged = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'B.Simon@contoso.com',
      signing: { key: idp2.key, cert: idp2.cert, option: 'assertion', algorithm: 'sha256' },
    });
    const refused = await request(sp.app).post('/login/saml').type('form').send({ SAMLResponse: forged.base64 });
    assert.equal(refused.status, 403);

    const outcomes = logs.lines.filter((l) => l.msg === 'saml response');
    const success = outcomes.find((l) => l.requestId === ok.headers['x-request-id']);
    const failure = outcomes.find((l) => l.requestId === refused.headers['x-request-id']);
    assert.ok(success && failure);
    assert.deepEqual([success.outcome, success.accountCode, success.flow], ['success', 'CUK12A34', 'idp-initiated']);
    assert.equal(failure.outcome, 'failure');
    assert.equal(failure.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');
    // The trace named in the log is the one the report shows.
    const trace = await request(sp.app)
      .get(`/api/traces/${String(failure.traceId)}`)
      .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    assert.equal(trace.status, 200);

    const text = logs.text();
    const sessionCookie = String(ok.headers['set-cookie']).split(';')[0]?.split('=')[1] ?? '';
    for (const secret of [
      signed.base64,
      forged.base64,
      signed.base64.slice(100, 180),
      signed.assertionId,
      'BEGIN CERTIFICATE',
      'SignatureValue',
      sessionCookie,
      'test-session-secret',
      TEST_ADMIN_TOKEN,
    ]) {
      assert.ok(secret.length > 0 && !text.includes(secret), `the log must not contain ${secret.slice(0, 24)}…`);
    }
  });
});
