/**
 * A failing CI run ends with the failing tests listed again (scripts/tap-failures.mjs over the TAP log), so the
 * last lines of a long log say what failed, not only "# fail 1".
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'tap-failures.mjs');

function listFailures(tap: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tap-'));
  try {
    writeFileSync(join(dir, 'log.tap'), tap);
    return execFileSync(process.execPath, [SCRIPT, join(dir, 'log.tap')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TAP = [
  '# Subtest: the ACS',
  '    # Subtest: accepts a genuine response',
  '    ok 1 - accepts a genuine response',
  '    # Subtest: refuses a replay',
  '    not ok 2 - refuses a replay',
  '      ---',
  "      failureType: 'testCodeFailure'",
  "      code: 'ERR_ASSERTION'",
  '      ...',
  '    1..2',
  'not ok 1 - the ACS',
  '  ---',
  "  failureType: 'subtestsFailed'",
  '  ...',
  '# fail 1',
  '',
].join('\n');

describe('CI failure list', () => {
  test('names each failing leaf test with its suite and diagnostic, and leaves out the suites that only contain it', () => {
    const out = listFailures(TAP);
    assert.match(out, /✖ the ACS › not ok 2 - refuses a replay/);
    assert.match(out, /ERR_ASSERTION/);
    assert.doesNotMatch(out, /not ok 1 - the ACS/);
    assert.match(out, /1 failing test\(s\) above/);
  });

  test('a log without failures says so', () => {
    assert.match(listFailures('# Subtest: a\nok 1 - a\n# pass 1\n'), /No failing test found/);
  });

  test('.ci/run keeps the test log and lists its failures when npm test fails, and still exits with its status', () => {
    const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    assert.match(script, /npm test 2>&1 \| tee "\$test_log" \|\| status=\$\{PIPESTATUS\[0\]\}/);
    assert.match(script, /node scripts\/tap-failures\.mjs "\$test_log"/);
    assert.match(script, /exit "\$\{status\}"\s*$/);
  });
});
