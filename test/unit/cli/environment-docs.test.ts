/**
 * Every environment variable the program reads is in the README's one table, and the table is exactly
 * what src/cli/help-text.ts generates from the settings table (config/keys.ts). test/e2e/cli.test.ts
 * checks that `--help` lists them too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatEnvironmentTable, listEnvironmentVariables } from '../../../src/cli/help-text.js';
import { configFileKey, configKeys } from '../../../src/config/load.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listSources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Variable names the sources mention: the product's own prefix, and the two well-known ones it reads. */
function findVariablesInSources(): Set<string> {
  const names = new Set<string>();
  for (const file of listSources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bMOCK_MIMECAST_[A-Z0-9_]+\b|\bREDIS_URL\b/g)) names.add(match[0]);
  }
  return names;
}

const known = new Set(listEnvironmentVariables().map((v) => v.name));

describe('environment variables are documented', () => {
  test('the list holds every variable of the settings table and the config file variable', () => {
    const expected = new Set([configFileKey.env, ...configKeys.flatMap((k) => k.env)]);
    assert.deepEqual([...known].sort(), [...expected].sort());
  });

  test('every variable the sources mention is in the list', () => {
    assert.deepEqual(
      [...findVariablesInSources()].filter((name) => !known.has(name)),
      [],
    );
  });

  test("the README's table is the generated one", () => {
    const block = /<!-- environment-table:start[^>]*-->\n([\s\S]*?)\n<!-- environment-table:end -->/.exec(README);
    assert.ok(block, 'README has the environment-table markers');
    assert.equal(block[1], formatEnvironmentTable(), 'regenerate the README table with formatEnvironmentTable()');
  });
});
