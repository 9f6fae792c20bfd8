import type { CheckResult } from '../core/sp/traces.js';

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'skip' };

/** The check results as a readable terminal report: one line per check, details under failures and warnings. */
export function formatChecks(checks: CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.id.length), 8);
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]}  ${c.id.padEnd(width)}  ${c.code ? `${c.code}: ` : ''}${c.message}`);
    if (c.status === 'fail' || c.status === 'warn') {
      const pad = ' '.repeat(width + 8);
      if (c.expected !== undefined) lines.push(`${pad}expected: ${c.expected}`);
      if (c.received !== undefined) lines.push(`${pad}received: ${c.received}`);
      if (c.hint) lines.push(`${pad}fix:      ${c.hint}`);
      if (c.specRef) lines.push(`${pad}rule:     ${c.specRef}`);
    }
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('', failed === 0 ? `Would sign in (${warned} warning${warned === 1 ? '' : 's'}).` : `Would NOT sign in: ${failed} check${failed === 1 ? '' : 's'} failed.`);
  return lines.join('\n');
}
