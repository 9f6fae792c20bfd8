#!/usr/bin/env node
// Runs the compiled CLI from dist/. Only in a source checkout (tsconfig.json beside package.json: the
// published package and the container image carry none) does it run src/ through tsx instead, when a
// source file is newer than the build, so an edited checkout never runs stale code. tsx is a development
// dependency: an installed package never loads it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStaleCheckout() {
  if (!existsSync(join(root, 'tsconfig.json')) || !existsSync(join(root, 'src'))) return false;
  try {
    return statSync(join(root, 'dist', '.build-stamp')).mtimeMs < newestMtime(join(root, 'src'));
  } catch {
    return true;
  }
}

if (isStaleCheckout()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/cli/main.js');
}
