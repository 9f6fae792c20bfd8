/**
 * Turns a BenchResult into the printed table and the JSON files under bench/results/. Pure apart
 * from writeReport's file writes, so it is unit-tested on a fake result.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult, TargetCheck } from './report-types.js';

/** Formats a number for the table: '-' when not measured. */
function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '-';
  return unit ? `${value} ${unit}` : String(value);
}

function formatMet(check: TargetCheck): string {
  if (check.met === null) return 'not measured';
  return check.met ? 'ok' : 'MISSED';
}

/** Lays out rows as a fixed-width table with a header rule. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The machine line, the targets table, and the detail lines, as printed at the end of a run. */
export function formatReport(result: BenchResult): string {
  const m = result.machine;
  const out: string[] = [
    `machine: ${m.cpuModel}, ${m.cores} cores, node ${m.node}, ${m.platform} ${m.release}, load ${m.loadAverage1m}`,
    `run: ${result.startedAt}, ${(result.durationMs / 1000).toFixed(1)} s`,
    '',
    formatTable(
      ['measure', 'value', 'target', 'verdict'],
      result.targets.map((t) => [t.name, formatValue(t.measured, t.unit), t.target, formatMet(t)]),
    ),
  ];
  const v = result.sections.validation;
  if (v) {
    out.push(
      '',
      `validation: node-saml ${formatValue(v.nodeSamlPerSecond.median, '/s')} vs ACS core ${formatValue(v.acsPerSecond.median, '/s')} (medians of ${v.rounds} rounds of ${v.roundSize}); paired-round ratio ${formatValue(v.pairedRatioMedian, '')}; accepted ${v.accepted.nodeSaml}/${v.accepted.of} and ${v.accepted.acs}/${v.accepted.of}`,
    );
    for (const peer of v.peers ?? []) {
      out.push(
        `validation peer ${peer.name}: ${formatValue(peer.perSecond, '/s')} (ACS core / ${peer.name} ${formatValue(peer.acsRatio, '')}); accepted ${peer.accepted}/${v.accepted.of}; refuses a tampered response: ${peer.refusesTampered ? 'yes' : 'NO'}`,
      );
    }
    if (v.phases) {
      out.push('', 'where the ACS core spends its time (µs per response, each phase timed as its own loop):');
      out.push(
        formatTable(
          ['phase', 'µs/response', 'note'],
          v.phases.map((p) => [p.phase, formatValue(p.microsPerResponse, ''), p.note]),
        ),
      );
    }
  }
  const h = result.sections.http;
  if (h) {
    const statuses = Object.entries(h.statusCounts)
      .map(([code, n]) => `${code}×${n}`)
      .join(', ');
    out.push(
      '',
      `http: ${h.requests} POST /login/saml at ${h.connections} connections in ${formatValue(h.durationSeconds, 's')}; ${formatValue(h.requestsPerSecond, '/s')} answers of any status; sign-in latency mean ${formatValue(h.latencyMs.mean, 'ms')}, p50 ${formatValue(h.latencyMs.p50, 'ms')}, p90 ${formatValue(h.latencyMs.p90, 'ms')}, max ${formatValue(h.latencyMs.max, 'ms')}; without each connection's first answer p99 ${formatValue(h.latencyMs.p99WarmConnections ?? null, 'ms')}, max ${formatValue(h.latencyMs.maxWarmConnections ?? null, 'ms')}; p99 of all answers ${formatValue(h.allAnswersP99Ms, 'ms')}; statuses ${statuses || '-'}; sign-ins (303 → /portal) ${h.signIns}; errors ${h.errors}, timeouts ${h.timeouts}`,
    );
    for (const level of h.paced) {
      out.push(
        `http paced at ${level.offeredPerSecond}/s (${Math.round(level.fraction * 100)}% of the saturated rate) over ${h.connections} connections: ${level.signIns}/${level.sent} sign-ins; p50 ${formatValue(level.p50, 'ms')}, p90 ${formatValue(level.p90, 'ms')}, p99 ${formatValue(level.p99, 'ms')}, max ${formatValue(level.max, 'ms')}`,
      );
    }
  }
  const w = result.sections.workers;
  if (w)
    out.push(
      '',
      `workers (${w.cores} cores, ${w.connections} connections, load generator on the same machine): ${w.rows.map((r) => `${r.workers} → ${formatValue(r.signInsPerSecond, '/s')} (${formatValue(r.speedup ?? null, '×')}, server CPU ${formatValue(r.serverCpuMsPerSignIn ?? null, 'ms')} per sign-in${r.meaningful ? '' : ', more workers than cores: not meaningful here'})`).join('; ')}`,
    );
  const th = result.sections.harness;
  if (th)
    out.push(
      '',
      `harness: startTestHarness ${th.startMs.runs.map((r) => formatValue(r, 'ms')).join(', ')}; sign-in in process median ${formatValue(th.signInMs.median, 'ms')}, p90 ${formatValue(th.signInMs.p90, 'ms')} over ${th.signInMs.runs}`,
    );
  const mem = result.sections.memory;
  if (mem) {
    out.push(
      '',
      `memory: ${mem.requests} ACS calls after ${mem.warmupRequests} warm-up (gc ${mem.gcExposed ? 'forced' : 'NOT exposed'}); RSS ${formatValue(mem.rssBeforeMb, 'MB')} → ${formatValue(mem.rssAfterMb, 'MB')}, heap ${formatValue(mem.heapUsedBeforeMb, 'MB')} → ${formatValue(mem.heapUsedAfterMb, 'MB')}, slope ${formatValue(mem.rssSlopeMbPer1k, 'MB/1k')}; sign-ins ${mem.signIns}; rows kept: traces ${mem.rowsKept.traces ?? '-'} (max ${mem.traceRetention.maxCount}), consumed assertions ${mem.rowsKept.consumedAssertions ?? '-'}, sessions ${mem.rowsKept.sessions ?? '-'} (${mem.database})`,
    );
  }
  const c = result.sections.coldStart;
  if (c) {
    out.push(
      '',
      `cold start: health 200 after ${c.healthMs.runs.map((r) => formatValue(r, 'ms')).join(', ')}; seeded and metadata imported after ${c.seededMs.runs.map((r) => formatValue(r, 'ms')).join(', ')}; --help alone (module loading) ${c.moduleLoadMs.runs.map((r) => formatValue(r, 'ms')).join(', ')}`,
    );
  }
  const conf = result.sections.conformance;
  if (conf) {
    out.push(
      '',
      conf.measured
        ? `conformance: ${conf.total ?? '?'} cases, ${conf.passed ?? '?'} passed, ${conf.failed ?? '?'} failed, in ${conf.wallMs} ms`
        : `conformance: not measured (${conf.reason})`,
    );
  }
  const x = result.sections.hostile;
  if (x) {
    out.push('', `hostile input: each shape once untimed, then ${x.runsPerShape} timed runs one after another (ms per request):`);
    out.push(
      formatTable(
        ['surface', 'shape', 'bytes', 'outcome', 'median ms', 'worst ms'],
        x.rows.map((r) => [r.surface, r.shape, String(r.xmlBytes), r.outcome, formatValue(r.medianMs, ''), formatValue(r.worstMs, '')]),
      ),
    );
  }
  if (result.notes.length > 0) out.push('', 'notes:', ...result.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}

/** A file-name-safe stamp of an ISO time: 2027-03-01T10-00-00Z. */
export function formatFileStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * One line of history.jsonl: when, where, and every headline figure with its verdict, so runs can be
 * compared over time (ratios travel between machines; figures marked [machine] do not).
 */
export function buildHistoryLine(result: BenchResult): string {
  const { cpuModel, cores, node, loadAverage1m } = result.machine;
  const targets = result.targets.map((t) => ({ name: t.name, measured: t.measured, unit: t.unit, met: t.met }));
  return `${JSON.stringify({ startedAt: result.startedAt, durationMs: result.durationMs, machine: { cpuModel, cores, node, loadAverage1m }, options: result.options, targets })}\n`;
}

/** Writes `latest.json` and a dated copy into `dir` and appends a line to history.jsonl; returns the paths. */
export async function writeReport(result: BenchResult, dir: string): Promise<{ latest: string; dated: string; history: string }> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const latest = join(dir, 'latest.json');
  const dated = join(dir, `bench-${formatFileStamp(result.startedAt)}.json`);
  await writeFile(latest, json);
  await writeFile(dated, json);
  const history = join(dir, 'history.jsonl');
  await appendFile(history, buildHistoryLine(result));
  return { latest, dated, history };
}
