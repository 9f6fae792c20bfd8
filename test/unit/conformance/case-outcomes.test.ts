/**
 * The forgery, decoy-encryption, depth and NameID cases, each run through a fresh case SP in-process:
 * the report headlines exactly the check that names the fault, with the case's expected code. The
 * attacker holds one genuine signed assertion for the suite's user and wants to be an administrator.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ErrorCode } from '../../../src/core/errors.js';
import { buildUnitKit, type CaseRun, findCase, runCaseInProcess, runCaseInWorker } from '../../_helpers/conformance-case.js';

/** Case id → the check the report headlines and its code; `also` are further check statuses to hold. */
const EXPECTED: { id: string; check: string; code: ErrorCode; also?: Record<string, string> }[] = [
  // A genuine signature copied over altered content: SignatureValue holds, the digest does not.
  { id: 'signed-nameid-changed', check: 'assertion-signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH', also: { signature: 'fail' } },
  {
    id: 'encrypted-signed-nameid-changed',
    check: 'assertion-signature',
    code: 'SP_SIGNATURE_DIGEST_MISMATCH',
    also: { encryption: 'pass', signature: 'fail' },
  },
  { id: 'metadata-signature-transplant', check: 'assertion-signature', code: 'SP_SIGNATURE_DIGEST_MISMATCH', also: { signature: 'fail' } },
  // The Response changed around an assertion signature that still verifies.
  {
    id: 'signed-response-destination-changed',
    check: 'response-signature',
    code: 'SP_SIGNATURE_DIGEST_MISMATCH',
    also: { 'assertion-signature': 'pass', destination: 'pass' },
  },
  {
    id: 'signed-response-extensions-added',
    check: 'response-signature',
    code: 'SP_SIGNATURE_DIGEST_MISMATCH',
    also: { 'assertion-signature': 'pass' },
  },
  // Decoy encrypted content: refused on its shape, before anything is decrypted or handed to node-saml.
  { id: 'encrypted-decoy-data-in-extensions', check: 'encryption', code: 'SP_ENCRYPTION_SHAPE', also: { 'node-saml': 'skip' } },
  { id: 'encrypted-data-foreign-namespace', check: 'encryption', code: 'SP_ENCRYPTION_SHAPE', also: { 'node-saml': 'skip' } },
  { id: 'encrypted-assertion-twice', check: 'encryption', code: 'SP_ENCRYPTION_SHAPE', also: { 'node-saml': 'skip' } },
  { id: 'encrypted-copied-signature-decoy-in-extensions', check: 'encryption', code: 'SP_ENCRYPTION_SHAPE', also: { 'node-saml': 'skip' } },
  {
    id: 'encrypted-copied-signature-genuine-in-extensions',
    check: 'encryption',
    code: 'SP_ENCRYPTION_SHAPE',
    also: { 'node-saml': 'skip' },
  },
  // Depth: refused by the parser's limits (src/core/saml/xml.ts), before any canonicalisation.
  { id: 'payload-deep-signed-info', check: 'payload', code: 'SP_PAYLOAD_TOO_DEEP' },
  { id: 'payload-deep-signed-content', check: 'payload', code: 'SP_PAYLOAD_TOO_DEEP' },
  // A genuine signature over a look-alike name: the directory must not fold KELVIN SIGN into "k".
  {
    id: 'nameid-look-alike-kelvin-sign',
    check: 'directory-user',
    code: 'SP_USER_NOT_FOUND',
    also: { signature: 'pass', 'name-id': 'pass' },
  },
];

function assertRun(run: CaseRun, expected: (typeof EXPECTED)[number]): void {
  const detail = `failing: ${run.failing.map((c) => `${c.id}:${c.code}`).join(', ') || 'none'}`;
  assert.equal(run.ok, false, `the case signed in (${detail})`);
  assert.deepEqual(run.headline, { id: expected.check, code: expected.code }, detail);
  for (const [id, status] of Object.entries(expected.also ?? {})) assert.equal(run.statuses[id], status, `${id}: ${detail}`);
}

describe('forgery and decoy cases are refused by the check that names the fault', () => {
  const kit = buildUnitKit();
  for (const expected of EXPECTED) {
    test(`${expected.id} → ${expected.check} ${expected.code}`, async () => {
      const testCase = findCase(expected.id);
      assert.equal(testCase.expected, 'refused');
      assert.equal(testCase.expectedCode, expected.code);
      assertRun(await runCaseInProcess(testCase, kit), expected);
    });
  }
});

describe('a pathological NameID is refused quickly', () => {
  test('nameid-backtracking-pattern → signature SP_SIGNATURE_MISSING, and the NameID check refuses it in well under a second', async () => {
    const testCase = findCase('nameid-backtracking-pattern');
    assert.equal(testCase.expectedCode, 'SP_SIGNATURE_MISSING');
    // In a worker, so a pattern that backtracks fails this test after the deadline instead of hanging the run.
    const run = await runCaseInWorker(testCase.id, 20_000);
    assert.notEqual(run, 'timed-out', 'the ACS did not answer within 20 s: the NameID pattern backtracks');
    if (run === 'timed-out') return;
    assertRun(run, { id: testCase.id, check: 'signature', code: 'SP_SIGNATURE_MISSING' });
    assert.ok(
      run.failing.some((c) => c.id === 'name-id' && c.code === 'SP_NAMEID_NOT_EMAIL'),
      'the NameID check refuses the value',
    );
    assert.equal(testCase.answerWithinMs, 1000);
    assert.ok(run.acsMs < testCase.answerWithinMs, `the ACS took ${Math.round(run.acsMs)} ms`);
  });
});
