/**
 * The house rules of docs/architecture.md, checked on the import graph of src/: the
 * arrows that are allowed, no import loop, small files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const SRC = resolve(import.meta.dirname, '../../src');
const MAX_LINES = 250;

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = listSources(SRC);
// Static imports and re-exports, bare imports for effect (import './x.js') and dynamic import('./x.js').
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** Each file's relative imports, resolved to src-relative paths (".js" written, ".ts" on disk). */
const graph = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((m) => (m[1] ?? m[2] ?? m[3]) as string)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    return [relative(SRC, file), targets];
  }),
);

function edges(fromPrefix: string, toPrefix: string): string[] {
  return [...graph].flatMap(([from, targets]) =>
    from.startsWith(fromPrefix) ? targets.filter((t) => t.startsWith(toPrefix)).map((t) => `${from} -> ${t}`) : [],
  );
}

describe('architecture', () => {
  test('the import scan sees static imports, re-exports, bare imports and dynamic import()', () => {
    const sample = [
      "import { a } from './a.js';",
      "import type {\n  B,\n} from './b.js';",
      "export { c } from './c.js';",
      "import './d.js';",
      "const e = await import('./e.js');",
    ].join('\n');
    assert.deepEqual(
      [...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]),
      ['./a.js', './b.js', './c.js', './d.js', './e.js'],
    );
  });

  test('the core imports nothing outside src/core', () => {
    const outside = [...graph].flatMap(([from, targets]) =>
      from.startsWith('core/') ? targets.filter((t) => !t.startsWith('core/')).map((t) => `${from} -> ${t}`) : [],
    );
    assert.deepEqual(outside, []);
  });

  test('the core reads no environment and knows no HTTP framework', () => {
    const offenders = files
      .filter((f) => relative(SRC, f).startsWith('core/'))
      .filter((f) => /process\.env|from 'express'|from 'express-session'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    assert.deepEqual(offenders, []);
  });

  test('the two roles meet only over SAML: core/sp and core/idp never import each other', () => {
    assert.deepEqual([...edges('core/sp/', 'core/idp/'), ...edges('core/idp/', 'core/sp/')], []);
  });

  test('runtime imports no testing helper, and the store does not import HTTP or runtime', () => {
    assert.deepEqual([...edges('runtime/', 'testing/'), ...edges('store/', 'http/'), ...edges('store/', 'runtime/')], []);
  });

  test('there is no import loop', () => {
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (node: string): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        loops.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      path.push(node);
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next);
      path.pop();
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node);
    assert.deepEqual(loops, []);
  });

  test('every check verdict is described once, in its own *.check.ts file (logout checks in checks/logout/)', () => {
    const DESCRIBE = /describeCheck\(\s*'([a-z0-9-]+)'/g;
    const calls = files.reduce((n, file) => n + (readFileSync(file, 'utf8').match(/describeCheck\((?!id:)/g)?.length ?? 0), 0);
    const declared = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(DESCRIBE)].map((m) => ({ file: relative(SRC, file), id: m[1] as string })),
    );
    assert.ok(declared.length > 20, 'the scan finds the checks');
    assert.equal(declared.length, calls, 'every describeCheck call names its id as a literal');
    assert.deepEqual(
      declared.filter((d) => !d.file.endsWith('.check.ts')).map((d) => `${d.file}: ${d.id}`),
      [],
      'described outside a check file',
    );
    // A Response and a logout message are judged by two lists; within each list an id names one check.
    for (const list of ['core/sp/checks/logout/', 'core/sp/checks/']) {
      const ids = declared
        .filter((d) => d.file.startsWith(list) && (list.endsWith('logout/') || !d.file.includes('/logout/')))
        .map((d) => d.id);
      assert.deepEqual(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        [],
        `${list}: an id described twice`,
      );
    }
  });

  test(`no source file is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f: relative(SRC, f), n: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter(({ n }) => n > MAX_LINES);
    assert.deepEqual(
      long.map(({ f, n }) => `${f}: ${n}`),
      [],
    );
  });
});
