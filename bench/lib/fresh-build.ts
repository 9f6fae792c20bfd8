/**
 * The sections that spawn `node bin/mock-mimecast.js` measure the CLI as a person runs it: from
 * `dist/`. In a checkout whose build is older than a source file the bin script runs `src/` through
 * tsx instead, which compiles every module on each start (seconds, in every worker), so those sections
 * would time the compiler. This runs `npm run build` first when the build is stale, with the same
 * test as the bin script.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function findNewestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? findNewestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a file under src/ (bin/mock-mimecast.js would use tsx). */
export function isBuildStale(): boolean {
  try {
    return statSync(join(ROOT, 'dist', '.build-stamp')).mtimeMs < findNewestMtime(join(ROOT, 'src'));
  } catch {
    return true;
  }
}

/** Builds when stale; returns what it did. Throws when the build fails, since nothing spawned would then be measured. */
export function ensureFreshBuild(log: (line: string) => void): 'fresh' | 'built' {
  if (!isBuildStale()) return 'fresh';
  log('dist/ is older than src/: running npm run build so the CLI runs compiled code');
  const t0 = performance.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.signal})`);
  if (isBuildStale()) throw new Error('npm run build finished but dist/ is still older than src/');
  log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 'built';
}
