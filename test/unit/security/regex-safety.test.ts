/**
 * Every regular expression in src/ is proved free of super-linear backtracking.
 *
 * The analyser is recheck (its automaton checker): it decides, from the pattern's automaton, whether
 * a backtracking matcher can take polynomial or exponential time, and gives the attack string when
 * it can. A star-height heuristic such as safe-regex2 would pass /^[^\s@]+@[^\s@]+\.[^\s@]+$/ (no
 * nested quantifier), which is exactly the quadratic shape that held the ACS for a minute. The
 * automaton checker is forced rather than left to choose fuzzing, so the verdict is a proof and the
 * same on every backend; a pattern it cannot analyse (back-references, some look-arounds) fails
 * here, to be rewritten as code. recheck runs offline: its native binary comes in the recheck-linux-x64
 * package when the platform has one, and otherwise its pure-JavaScript build runs in a worker.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, type Diagnostics } from 'recheck';
import { z } from 'zod';
import { type FoundRegex, scanModule, scanTree } from '../../_helpers/regex-inventory.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ANALYSIS = { checker: 'automaton', timeout: 120_000 } as const;

function readZodPattern(schema: { _zod: { def: { pattern?: RegExp | undefined } } }): RegExp {
  const pattern = schema._zod.def.pattern;
  assert.ok(pattern instanceof RegExp, 'zod no longer keeps the pattern where this test reads it');
  return pattern;
}

/** The patterns zod runs for each format src/ uses, with the options src/ gives them. */
const ZOD_FORMAT_PATTERNS: Record<string, () => RegExp[]> = {
  datetime: () => [readZodPattern(z.iso.datetime({ offset: true })), readZodPattern(z.iso.datetime())],
};

async function analyse(source: string, flags: string): Promise<Diagnostics> {
  return check(source, flags, ANALYSIS);
}

function describeVerdict(d: Diagnostics): string {
  if (d.status === 'vulnerable') return `${d.complexity.type} (attack: ${d.attack.pattern})`;
  if (d.status === 'unknown') return `unknown (${d.error.kind}${'message' in d.error ? `: ${d.error.message}` : ''})`;
  return d.complexity.type;
}

describe('regular-expression safety', () => {
  const inventory = scanTree(join(ROOT, 'src'), ROOT);

  test('the scan reads the whole tree and finds the patterns in it', () => {
    assert.ok(inventory.files.length > 150, `only ${inventory.files.length} files scanned`);
    assert.ok(inventory.literals.length > 50, `only ${inventory.literals.length} patterns found`);
    assert.ok(inventory.files.includes(join('src', 'core', 'saml', 'email-address.ts')));
  });

  test('the scan tells patterns from division, comments, strings and templates', () => {
    const sample = [
      'const a = x / y / z;',
      // A template literal whose placeholder holds a pattern (split so it stays a plain string here).
      "const b = '/not/' + `/$" + '{/inTemplate/u.source}/`; // /notComment/',
      '/* /notBlock/ */ function f(): RegExp { return /afterReturn/gi; }',
      'const c = (1) / 2 / (3);',
      'type T = Array<string>; const d = [/inArray/];',
    ].join('\n');
    const found = scanModule('sample.ts', sample);
    assert.deepEqual(
      found.literals.map((r) => `/${r.source}/${r.flags}`),
      ['/inTemplate/u', '/afterReturn/gi', '/inArray/'],
    );
    assert.deepEqual(found.dynamic, []);
  });

  test('the scan reports patterns built at run time and zod formats, and refuses what does not parse', () => {
    const sample = [
      "const p = new RegExp('a+' + tail);",
      'const q = RegExp(source, "g");',
      "text.match('a.b'); text.search(needle); text.match(ID); const ID = /id/; text.replace('x', 'y');",
      'const s = z.string().trim(); s.email(); z.iso.datetime(); ids.uuid();',
    ].join('\n');
    const found = scanModule('sample.ts', sample);
    assert.equal(found.dynamic.length, 4);
    assert.deepEqual(
      found.zodFormats.map((f) => f.format),
      ['email', 'datetime'],
    );
    assert.throws(() => scanModule('broken.ts', 'const r = /(unclosed/;'));
  });

  test('no pattern in src/ is built at run time', () => {
    assert.deepEqual(inventory.dynamic, [], 'write these as regex literals (or as code) so they can be analysed');
  });

  test('the analyser finds the quadratic NameID pattern this project used to have', { timeout: 120_000 }, async () => {
    const verdict = await analyse(`^[^\\s@<>()"',;:]+@[^\\s@<>()"',;:]+\\.[^\\s@<>()"',;:]+$`, '');
    assert.equal(verdict.status, 'vulnerable');
    assert.equal(verdict.status === 'vulnerable' && verdict.complexity.type, 'polynomial');
  });

  test('every regex literal in src/ is linear', { timeout: 600_000 }, async () => {
    const unique = new Map<string, FoundRegex[]>();
    for (const found of inventory.literals) {
      const key = `/${found.source}/${found.flags}`;
      unique.set(key, [...(unique.get(key) ?? []), found]);
    }
    const refused: string[] = [];
    for (const [key, uses] of unique) {
      const first = uses[0] as FoundRegex;
      const verdict = await analyse(first.source, first.flags);
      if (verdict.status !== 'safe')
        refused.push(`${key} in ${[...new Set(uses.map((u) => u.file))].join(', ')}: ${describeVerdict(verdict)}`);
    }
    assert.deepEqual(refused, []);
  });

  test('the patterns zod runs for the formats src/ uses are linear', { timeout: 120_000 }, async () => {
    const refused: string[] = [];
    for (const use of inventory.zodFormats) {
      const patterns = ZOD_FORMAT_PATTERNS[use.format]?.();
      if (patterns === undefined) {
        refused.push(`${use.file}: ${use.code} uses zod's ${use.format}; add its patterns to ZOD_FORMAT_PATTERNS`);
        continue;
      }
      for (const pattern of patterns) {
        const verdict = await analyse(pattern.source, pattern.flags);
        if (verdict.status !== 'safe') refused.push(`${use.format} /${pattern.source}/: ${describeVerdict(verdict)}`);
      }
    }
    assert.deepEqual(refused, []);
  });
});
