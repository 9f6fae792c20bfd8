/**
 * The package as a user gets it: `npm pack` run on a copy of this checkout (so the test never rebuilds the
 * checkout's own dist/ under other tests' feet), and a consumer project that installs the tarball.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The repository's installed dependencies, through the checkout's symlink if it is one. */
export const REPO_MODULES = realpathSync(join(REPO_ROOT, 'node_modules'));

/** What is never copied: installed or generated state, and version control. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'data', 'coverage', 'test-results']);

/** One file of `npm pack --json`'s listing. */
export interface PackedFile {
  path: string;
  size: number;
}

/** What `npm pack --json` reports for one package. */
export interface PackReport {
  filename: string;
  integrity: string;
  files: PackedFile[];
}

type LockEntry = {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
} & Record<string, unknown>;

/** The environment for a nested npm: none of the npm_* variables of an outer `npm test`. */
export function buildNpmEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

/** Runs npm in `cwd`; resolves with stdout, rejects with npm's stderr in the message. */
export async function runNpm(cwd: string, args: string[], timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: buildNpmEnvironment(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stderr ?? ''}`);
  }
}

/** Reads `npm pack --json`'s report; lifecycle scripts may print before the JSON array. */
export function parsePackReport(stdout: string): PackReport {
  const start = stdout.indexOf('[\n');
  const reports = JSON.parse(stdout.slice(start === -1 ? stdout.indexOf('[') : start)) as PackReport[];
  const report = reports[0];
  if (report === undefined) throw new Error('npm pack reported no package');
  return report;
}

/** Copies the checkout (working tree, not the last commit) into `dir`, with the repository's node_modules linked in. */
export function copyCheckout(dir: string): void {
  cpSync(REPO_ROOT, dir, {
    recursive: true,
    filter: (source) => !SKIPPED.has(basename(source)) || relative(REPO_ROOT, source).includes('/'),
  });
  symlinkSync(REPO_MODULES, join(dir, 'node_modules'), 'dir');
}

/**
 * The lock entries of `names` and everything they depend on, by Node's lookup (nearest node_modules
 * upwards) over the repository's own package-lock.json.
 */
function collectLockClosure(packages: Record<string, LockEntry>, names: string[]): Set<string> {
  const found = new Set<string>();
  const visit = (from: string, name: string, optional: boolean): void => {
    let base = from;
    for (;;) {
      const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      const entry = packages[key];
      if (entry !== undefined) {
        if (found.has(key)) return;
        found.add(key);
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
        for (const dep of Object.keys(entry.peerDependencies ?? {})) visit(key, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
        return;
      }
      if (base === '') {
        if (!optional) throw new Error(`${name} (needed by ${from || 'the consumer'}) is not in package-lock.json`);
        return;
      }
      const cut = base.lastIndexOf('/node_modules/');
      base = cut === -1 ? '' : base.slice(0, cut);
    }
  };
  for (const name of names) visit('', name, false);
  return found;
}

/**
 * Writes a consumer project that depends on the tarball (and on @types/node, as any TypeScript project on
 * Node does), with a lockfile. The npm cache holds the tarballs of every package installed here but not
 * their registry documents, so `npm install --offline` cannot resolve version ranges; a lockfile taken
 * from this repository's own (same versions, same integrity) lets `npm ci --offline` install from the
 * cache exactly as a user's locked project installs from the registry.
 */
export function writeConsumerProject(dir: string, tarball: string, report: PackReport): void {
  const repoLock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    bin: unknown;
    engines: unknown;
  };
  const typesNode = repoLock.packages['node_modules/@types/node']?.version;
  if (typesNode === undefined) throw new Error('@types/node is not in package-lock.json');
  const spec = `file:${relative(dir, tarball)}`;
  const runtime = collectLockClosure(repoLock.packages, Object.keys(manifest.dependencies));
  const devOnly = [...collectLockClosure(repoLock.packages, ['@types/node'])].filter((key) => !runtime.has(key));
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies: { 'mock-mimecast': spec }, devDependencies: { '@types/node': typesNode } },
    'node_modules/mock-mimecast': {
      version: manifest.version,
      resolved: spec,
      integrity: report.integrity,
      license: 'MIT',
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const key of runtime) {
    // Needed at run time by the consumer, whatever this repository uses it for.
    const { dev: _dev, ...entry } = repoLock.packages[key] as LockEntry;
    packages[key] = entry;
  }
  for (const key of devOnly) packages[key] = { ...(repoLock.packages[key] as LockEntry), dev: true };
  const pkg = {
    name: 'consumer',
    private: true,
    type: 'module',
    dependencies: { 'mock-mimecast': spec },
    devDependencies: { '@types/node': typesNode },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}
