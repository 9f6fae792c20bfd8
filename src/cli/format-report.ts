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
  lines.push(
    '',
    failed === 0
      ? `Would sign in (${warned} warning${warned === 1 ? '' : 's'}).`
      : `Would NOT sign in: ${failed} check${failed === 1 ? '' : 's'} failed.`,
  );
  return lines.join('\n');
}

/** Several responses (a HAR or SAML-tracer capture): each under a heading with its URL and time; one alone as before. */
export function formatCheckedResponses(
  responses: {
    index: number;
    url: string | null;
    time: string | null;
    timeKind: 'sent' | 'exported' | null;
    judgedAt: string;
    ok: boolean;
    checks: CheckResult[];
  }[],
): string {
  const only = responses.length === 1 ? responses[0] : undefined;
  if (only !== undefined && only.url === null) return formatChecks(only.checks);
  const blocks = responses.map((r) => {
    const when = r.time === null ? '' : r.timeKind === 'sent' ? ` sent ${r.time}` : ` (capture exported ${r.time})`;
    return [
      `SAMLResponse ${r.index} of ${responses.length}: POST ${r.url ?? '(no URL)'}${when}, judged at ${r.judgedAt}`,
      '',
      formatChecks(r.checks),
    ].join('\n');
  });
  const failed = responses.filter((r) => !r.ok).length;
  if (responses.length > 1)
    blocks.push(
      failed === 0 ? `All ${responses.length} responses would sign in.` : `${failed} of ${responses.length} responses would NOT sign in.`,
    );
  return blocks.join('\n\n');
}
