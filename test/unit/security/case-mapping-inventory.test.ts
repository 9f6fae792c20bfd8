/**
 * Every Unicode case mapping or normalisation in src/ is listed here with the reason it cannot turn
 * one identity into another. Identities (addresses, UPNs, NameIDs, domains, hosts, identifiers) fold
 * through src/core/saml/ascii-case.ts, which touches A–Z only; `toLowerCase`, `toUpperCase` and
 * `normalize` map U+212A KELVIN SIGN onto "k" and U+017F LONG S onto "S", so a new call to them is
 * either added here with its reason or replaced by foldAsciiCase.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CALL = /\.(toLowerCase|toUpperCase|toLocaleLowerCase|toLocaleUpperCase|normalize)\(/g;

/** File → how many calls it may hold, and why none of them maps an identity. */
const ALLOWED: Record<string, { count: number; why: string }> = {
  'src/cli/capture-input.ts': { count: 2, why: 'HTTP method names of a HAR entry, compared with POST' },
  'src/conformance/cases/index.ts': { count: 3, why: 'the --filter search over case ids and spec references' },
  'src/core/idp/assignments.ts': { count: 2, why: 'the picker search over display names (the UPN is searched with foldAsciiCase)' },
  'src/core/idp/gallery.ts': { count: 3, why: 'the gallery search over application names and publishers' },
  'src/core/idp/password-update.ts': { count: 2, why: 'NFC on passwords, as they are hashed, to refuse a reused one' },
  'src/store/sqlite/password.ts': { count: 1, why: 'NFC on a password before scrypt, so one typed password has one hash' },
  'src/core/saml/certificate-cache.ts': { count: 1, why: 'a hex digest' },
  'src/core/saml/certs.ts': { count: 2, why: 'hex thumbprints' },
  'src/core/sp/metadata-diff.ts': { count: 1, why: 'a hex thumbprint' },
  'src/core/saml/redirect-signature.ts': { count: 2, why: 'the hex digits of percent-encoding' },
  'src/http/idp/routes/console-support.ts': { count: 1, why: 'a form flag compared with yes / on / true' },
  'src/http/route-inventory.ts': { count: 1, why: "express's route method names" },
  'src/http/schemas/console-form.ts': { count: 1, why: "the first letter of a validation message's text" },
  'src/testing/browser.ts': { count: 1, why: 'HTTP header names in the test browser' },
};

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Calls outside comments: a line that starts a comment, or the part after `//`, is not code. */
function countCalls(source: string): number {
  let count = 0;
  for (const line of source.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('*') || trimmed.startsWith('/*') || trimmed.startsWith('//')) continue;
    const code = line.includes(' // ') ? line.slice(0, line.indexOf(' // ')) : line;
    count += [...code.matchAll(CALL)].length;
  }
  return count;
}

test('every case mapping or normalisation in src/ is a listed one that maps no identity', () => {
  const found: Record<string, number> = {};
  for (const path of listSources(join(ROOT, 'src'))) {
    const count = countCalls(readFileSync(path, 'utf8'));
    if (count > 0) found[relative(ROOT, path).split('\\').join('/')] = count;
  }
  const expected = Object.fromEntries(Object.entries(ALLOWED).map(([path, entry]) => [path, entry.count]));
  assert.deepEqual(found, expected, 'use foldAsciiCase for identities, or list the call here with its reason');
});

test('the scan sees a call, and skips one in a comment', () => {
  assert.equal(countCalls("const a = name.toLowerCase();\n// b.toUpperCase()\n * c.normalize('NFKC')"), 1);
});
