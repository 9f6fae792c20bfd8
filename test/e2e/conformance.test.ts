/**
 * The conformance suite end to end: every hostile and broken variant posted over real HTTP to a fresh
 * in-process SP, plus the controls that must sign in. A hostile message that signs in fails here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runConformanceCommand } from '../../src/cli/conformance.command.js';
import { runConformance } from '../../src/conformance/run-conformance.js';
import type { ConformanceReport } from '../../src/conformance/types.js';
import { AppError } from '../../src/core/errors.js';
import { parseXmlSafely } from '../../src/core/saml/xml.js';

describe('mock-mimecast conformance', () => {
  let report: ConformanceReport;
  before(async () => {
    report = await runConformance();
  });

  it('runs at least 40 cases, controls included', () => {
    assert.ok(report.total >= 40, `only ${report.total} cases ran`);
    assert.equal(report.results.length, report.total);
    assert.ok(report.results.filter((r) => r.expected === 'accepted').length >= 3);
  });

  it('signs in no hostile or broken message', () => {
    const signedIn = report.results.filter((r) => r.expected === 'refused' && r.actual !== 'refused');
    assert.deepEqual(
      signedIn.map((r) => `${r.id}: HTTP ${r.http.status} ${r.http.location ?? ''}`),
      [],
      'hostile messages that signed in',
    );
    assert.deepEqual(report.hostileSignedIn, []);
  });

  it('passes every case: refusals carry the expected code, controls sign in, nothing answers 5xx', () => {
    const failures = report.results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.problem}`);
    assert.deepEqual(failures, [], `failing cases:\n${failures.join('\n')}`);
    assert.deepEqual(
      report.results.filter((r) => r.http.status >= 500).map((r) => r.id),
      [],
    );
  });

  it("records node-saml's verdict separately, and the SP refuses what node-saml alone accepts", () => {
    const missed = report.results.filter((r) => r.expected === 'refused' && r.nodeSamlAlone === 'accepted');
    assert.ok(missed.length > 0);
    for (const r of missed)
      assert.ok(
        r.failedChecks.some((c) => c.id !== 'node-saml'),
        r.id,
      );
    const comment = report.results.find((r) => r.id === 'nameid-comment-truncation');
    assert.deepEqual(comment?.failedChecks, [{ id: 'directory-user', code: 'SP_USER_NOT_FOUND' }]);
  });

  it('the command writes JSON and JUnit for a filtered run and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
    const chunks: string[] = [];
    try {
      const code = await runConformanceCommand({ json: true, junit: join(dir, 'junit.xml'), filter: 'CVE-2025' }, (text) =>
        chunks.push(text),
      );
      assert.equal(code, 0);
      const printed = JSON.parse(chunks.join('')) as ConformanceReport;
      assert.deepEqual(
        printed.results.map((r) => [r.id, r.pass]),
        [
          ['digest-value-comment', true],
          ['two-signed-info', true],
        ],
      );
      const junit = parseXmlSafely(readFileSync(join(dir, 'junit.xml'), 'utf8'));
      assert.equal(junit.getElementsByTagName('testcase').length, 2);
      assert.equal(junit.getElementsByTagName('failure').length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the command refuses a filter that matches nothing', async () => {
    await assert.rejects(
      runConformanceCommand({ filter: 'no-such-case' }),
      (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED',
    );
  });
});
