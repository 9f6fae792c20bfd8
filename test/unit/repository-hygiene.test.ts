/**
 * What the build and the tools write stays out of git, and CI installs what a from-source build needs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/** True when git ignores the path (check-ignore exits 0), false when not (exit 1). */
function isIgnored(path: string): boolean {
  try {
    git('check-ignore', '-q', '--no-index', path);
    return true;
  } catch {
    return false;
  }
}

describe('repository hygiene', () => {
  test('npm run bench writes into a folder git ignores, where nothing but its README is tracked', () => {
    for (const written of [
      'bench/results/latest.json',
      'bench/results/bench-2027-03-01T10-00-00Z.json',
      'bench/results/profiles/acs.cpuprofile',
    ]) {
      assert.equal(isIgnored(written), true, written);
    }
    assert.deepEqual(git('ls-files', 'bench/results').trim().split('\n'), ['bench/results/README.md']);
  });

  test('.ci/run installs python3, make and g++ (better-sqlite3 from source) before npm ci', () => {
    const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const packages = /^apt_packages=\(([^)]*)\)/m.exec(script)?.[1]?.split(/\s+/) ?? [];
    for (const name of ['python3', 'make', 'g++']) assert.ok(packages.includes(name), name);
    const install = script.indexOf('apt-get install');
    const npmCi = script.indexOf('\nnpm ci');
    assert.ok(install !== -1 && npmCi !== -1 && install < npmCi, 'apt-get install comes before npm ci');
  });
});
