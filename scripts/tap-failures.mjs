#!/usr/bin/env node
// Prints every failing test of a TAP log (node --test's default reporter when piped), with the suites it sits
// in and its diagnostic block, so a long CI log ends with what failed instead of only "# fail 1".
// Usage: node scripts/tap-failures.mjs <log file>
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2] ?? 0, 'utf8').split('\n');
const indentOf = (line) => line.length - line.trimStart().length;
const maxDiagnosticLines = 60;

/** Names of the "# Subtest:" headers open at each indentation, so a failure is shown with its suites. */
const open = [];
let failures = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const trimmed = line.trimStart();
  const indent = indentOf(line);
  if (trimmed.startsWith('# Subtest: ')) {
    open.length = indent / 4;
    open.push(trimmed.slice('# Subtest: '.length));
    continue;
  }
  if (!trimmed.startsWith('not ok ')) continue;
  // A suite is "not ok" because a test in it failed; only leaves carry a useful diagnostic, so print leaves
  // (a not-ok whose diagnostic says it failed on its own, not "subtestsFailed").
  let end = i + 1;
  const block = [];
  if (lines[end]?.trimStart() === '---') {
    while (end < lines.length && lines[end].trimStart() !== '...') block.push(lines[end++]);
    block.push(lines[end] ?? '');
  }
  if (block.some((entry) => entry.includes("failureType: 'subtestsFailed'"))) continue;
  failures++;
  const path = open.slice(0, indent / 4).join(' › ');
  console.log(`\n✖ ${path ? `${path} › ` : ''}${trimmed}`);
  for (const entry of block.slice(0, maxDiagnosticLines)) console.log(entry);
  if (block.length > maxDiagnosticLines) console.log(`  … ${block.length - maxDiagnosticLines} more lines`);
}
console.log(failures === 0 ? '\nNo failing test found in the log.' : `\n${failures} failing test(s) above.`);
