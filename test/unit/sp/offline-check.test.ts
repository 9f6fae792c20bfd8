import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCapturedResponse, type OfflineCheckInput } from '../../../src/core/sp/offline-check.js';
import { buildSignedTestResponse } from '../../_helpers/idp-signer.js';
import { ISSUER, NOW, URLS, USER_EMAIL } from '../../_helpers/sp-core.js';
import { idp1, idp2 } from '../../_helpers/test-keys.js';

const capturedAt = new Date('2025-06-01T08:00:00.000Z');
const capture = buildSignedTestResponse({
  now: capturedAt,
  acsUrl: URLS.localAcsUrl,
  audience: URLS.entraIdentifier,
  email: USER_EMAIL,
}).base64;

function input(overrides: Partial<OfflineCheckInput> = {}): OfflineCheckInput {
  return {
    samlResponse: capture,
    certificates: [idp1.cert],
    issuer: ISSUER,
    acsUrl: URLS.localAcsUrl,
    audience: URLS.entraIdentifier,
    now: new Date(capturedAt.getTime() + 60_000),
    clockFrozen: true,
    validation: { clockSkewMs: 180_000, refuseSha1: false, maxSamlBytes: 256 * 1024 },
    decryptionKey: null,
    ...overrides,
  };
}

const statusOf = (checks: { id: string; status: string }[], id: string) => checks.find((c) => c.id === id)?.status;

describe('offline check of a captured response', () => {
  test('a capture from last year passes when judged at the time it was captured (--now)', async () => {
    const result = await checkCapturedResponse(input());
    assert.equal(result.ok, true);
    assert.equal(statusOf(result.checks, 'timestamps'), 'pass');
    assert.equal(statusOf(result.checks, 'node-saml'), 'pass');
  });

  test('the same capture judged today has expired', async () => {
    const result = await checkCapturedResponse(input({ now: NOW }));
    assert.equal(result.ok, false);
    assert.equal(result.checks.find((c) => c.id === 'timestamps')?.code, 'SP_TIME_EXPIRED');
  });

  test('state the SP keeps (pending requests, used assertions, directory) is skipped, not guessed', async () => {
    const result = await checkCapturedResponse(input());
    for (const id of ['replay', 'directory-user']) assert.equal(statusOf(result.checks, id), 'skip', id);
  });

  test('a wrong certificate, ACS or audience fails with its own code', async () => {
    const cases: [Partial<OfflineCheckInput>, string, string][] = [
      [{ certificates: [idp2.cert] }, 'signature', 'SP_SIGNATURE_UNTRUSTED_CERT'],
      [{ acsUrl: 'https://eu-api.mimecast.com/login/saml' }, 'recipient', 'SP_RECIPIENT_MISMATCH'],
      [{ audience: 'https://eu-api.mimecast.com/sso/COTHER1' }, 'audience', 'SP_AUDIENCE_MISMATCH'],
      [{ issuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }, 'issuer', 'SP_ISSUER_MISMATCH'],
    ];
    for (const [overrides, id, code] of cases) {
      const result = await checkCapturedResponse(input(overrides));
      assert.equal(result.ok, false, id);
      assert.equal(result.checks.find((c) => c.id === id)?.code, code, id);
    }
  });

  test('without an expected issuer the issuer check skips', async () => {
    const result = await checkCapturedResponse(input({ issuer: null }));
    assert.equal(statusOf(result.checks, 'issuer'), 'skip');
  });
});
