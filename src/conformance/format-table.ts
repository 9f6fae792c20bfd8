/**
 * The conformance report as a terminal table, followed by what a reader needs next: which cases
 * failed and why, and where node-saml alone would have let a hostile message through.
 */
import type { CaseResult, ConformanceReport } from './types.js';

const COLUMNS: { title: string; width: number; read: (r: CaseResult) => string }[] = [
  { title: 'case', width: 46, read: (r) => r.id },
  { title: 'reference', width: 34, read: (r) => r.reference },
  { title: 'expected', width: 44, read: (r) => (r.expectedCode ? `${r.expected} ${r.expectedCode}` : r.expected) },
  { title: 'actual', width: 8, read: (r) => r.actual },
  { title: 'node-saml alone', width: 15, read: (r) => r.nodeSamlAlone },
  { title: 'result', width: 6, read: (r) => (r.pass ? 'PASS' : 'FAIL') },
];

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function formatRow(cells: string[]): string {
  return cells
    .map((c, i) => fit(c, COLUMNS[i]?.width ?? c.length))
    .join('  ')
    .trimEnd();
}

/** Hostile cases (expected refused) that node-saml's own verdict accepted, with the checks that stopped them. */
export function listNodeSamlMisses(report: ConformanceReport): CaseResult[] {
  return report.results.filter((r) => r.expected === 'refused' && r.nodeSamlAlone === 'accepted');
}

/** Formats the whole report for a terminal. */
export function formatConformanceTable(report: ConformanceReport): string {
  const lines = [formatRow(COLUMNS.map((c) => c.title)), formatRow(COLUMNS.map((c) => '-'.repeat(c.width)))];
  for (const r of report.results) lines.push(formatRow(COLUMNS.map((c) => c.read(r))));
  lines.push('', `${report.total} cases in ${(report.durationMs / 1000).toFixed(1)} s: ${report.passed} passed, ${report.failed} failed.`);
  lines.push(
    report.hostileSignedIn.length
      ? `HOSTILE MESSAGES THAT SIGNED IN: ${report.hostileSignedIn.join(', ')}`
      : 'No hostile or broken message signed in.',
  );
  const failures = report.results.filter((r) => !r.pass);
  if (failures.length) {
    lines.push('', 'Failures:');
    for (const r of failures) lines.push(`  ${r.id}: ${r.problem ?? 'failed'}`);
  }
  const misses = listNodeSamlMisses(report);
  if (misses.length) {
    lines.push('', `node-saml alone would have accepted ${misses.length} of these; the checks that refused them:`);
    // Said once so nobody reads the time and state rows as node-saml defects.
    lines.push(
      "  (node-saml runs here without the SP's state — pending requests, used assertions, directory — and with its time checks off because the clock is frozen.)",
    );
    for (const r of misses)
      lines.push(`  ${r.id}: ${r.failedChecks.map((c) => `${c.id}${c.code ? ` (${c.code})` : ''}`).join(', ') || '(none)'}`);
  }
  return lines.join('\n');
}
