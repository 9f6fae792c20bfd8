import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatFileStamp, formatReport, formatTable, writeReport } from '../../bench/lib/report.js';
import type { BenchResult } from '../../bench/lib/report-types.js';
import { computeMedian, computePercentile, computeSlope } from '../../bench/lib/stats.js';
import { buildTargets } from '../../bench/lib/targets.js';

/** A made-up result: the numbers mean nothing, only the shape matters here. */
function buildFakeResult(): BenchResult {
  const sections: BenchResult['sections'] = {
    validation: {
      responses: 40,
      rounds: 4,
      roundSize: 10,
      nodeSamlPerSecond: { median: 200, rounds: [190, 200, 200, 210] },
      acsPerSecond: { median: 100, rounds: [95, 100, 100, 105] },
      ratio: 0.5,
      pairedRatioMedian: 0.5,
      accepted: { nodeSaml: 40, acs: 40, of: 40 },
      phases: [{ phase: 'harness signature verification', microsPerResponse: 4000, note: 'second XML-DSig' }],
    },
    http: {
      paced: [
        {
          fraction: 0.5,
          offeredPerSecond: 45,
          sent: 225,
          signIns: 225,
          p50: 12,
          p90: 20,
          p99: 30,
          max: 41,
          maxSendLagMs: 2,
          statusCounts: { '303': 225 },
          errors: 0,
        },
        {
          fraction: 0.75,
          offeredPerSecond: 67,
          sent: 335,
          signIns: 330,
          p50: 40,
          p90: 70,
          p99: 90,
          max: 120,
          maxSendLagMs: 35,
          statusCounts: { '303': 330, '429': 5 },
          errors: 0,
        },
      ],
      latencyBoundedPerSecond: 45,
      connections: 32,
      requests: 100,
      durationSeconds: 1,
      requestsPerSecond: 100,
      signInsPerSecond: 90,
      latencyMs: { mean: 320, p50: 300, p90: 400, p99: 500, max: 600, p99WarmConnections: 450, maxWarmConnections: 520 },
      allAnswersP99Ms: 500,
      statusCounts: { '303': 90, '429': 10 },
      signIns: 90,
      errors: 0,
      timeouts: 0,
    },
    coldStart: {
      runs: 3,
      healthMs: { median: 400, runs: [300, 400, 450] },
      moduleLoadMs: { median: 700, runs: [700, 700, 700] },
      seededMs: { median: 1000, runs: [900, 1000, 1100] },
    },
    conformance: { measured: false, reason: 'src/conformance/run-conformance.ts does not exist yet' },
  };
  const built = buildTargets(sections);
  return {
    schema: 1,
    startedAt: '2027-03-01T10:00:00.123Z',
    durationMs: 1234,
    machine: {
      cpuModel: 'Fake CPU',
      cores: 2,
      node: 'v20.0.0',
      platform: 'linux',
      release: '6.0',
      totalMemoryMb: 4096,
      loadAverage1m: 0.5,
    },
    options: { memoryRequests: 10 },
    sections,
    targets: built.targets,
    notes: built.notes,
  };
}

describe('bench report', () => {
  test('judges each target and leaves sections that did not run as not measured', () => {
    const { targets } = buildFakeResult();
    const byName = (prefix: string) => targets.find((t) => t.name.startsWith(prefix));
    assert.equal(byName('validation: ACS core / node-saml')?.met, false);
    assert.equal(byName('http: p99 latency of sign-ins, saturated')?.met, false);
    assert.equal(byName('http: p99 at 50%')?.met, true);
    assert.equal(byName('http: p99 at 75%')?.met, false);
    assert.equal(byName('http: highest paced rate')?.measured, 45);
    assert.equal(byName('cold start')?.met, true);
    assert.equal(byName('memory')?.met, null);
    assert.equal(byName('conformance')?.met, null);
  });

  test('judges a ratio on its measured value, not on its rounded display', () => {
    const { sections } = buildFakeResult();
    const { http, validation } = sections;
    assert.ok(http && validation);
    const nearMiss = {
      ...sections,
      http: { ...http, signInsPerSecond: 79.996 },
      validation: {
        ...validation,
        ratio: 0.85,
        acsPerSecond: { median: 100, rounds: [100] },
        nodeSamlPerSecond: { median: 117.7, rounds: [117.7] },
      },
    };
    const { targets } = buildTargets(nearMiss);
    const httpRatio = targets.find((t) => t.name.startsWith('http: sign-ins/s / ACS core rate'));
    assert.equal(httpRatio?.measured, 0.8);
    assert.equal(httpRatio?.met, false);
    // 100 / 117.7 = 0.8496: the section's rounded 0.85 does not count.
    assert.equal(targets.find((t) => t.name.startsWith('validation: ACS core / node-saml'))?.met, false);
  });

  test('a rate measured as 0 is a miss, not "not measured"', () => {
    const { sections } = buildFakeResult();
    assert.ok(sections.http);
    const { targets } = buildTargets({ ...sections, http: { ...sections.http, signInsPerSecond: 0 } });
    const httpRatio = targets.find((t) => t.name.startsWith('http: sign-ins/s / ACS core rate'));
    assert.equal(httpRatio?.measured, 0);
    assert.equal(httpRatio?.met, false);
  });

  test('explains refusals counted in the HTTP run and a missing conformance suite', () => {
    const { notes } = buildFakeResult();
    assert.ok(notes.some((n) => n.includes('90 of 100')));
    assert.ok(notes.some((n) => n.startsWith('http paced at 67/s') && n.includes('330 of 335')));
    assert.ok(notes.some((n) => n.startsWith('http paced at 67/s') && n.includes('behind schedule')));
    assert.ok(notes.some((n) => n.startsWith('conformance: not measured')));
  });

  test('prints the machine, every target row and the phase table', () => {
    const text = formatReport(buildFakeResult());
    assert.match(text, /^machine: Fake CPU, 2 cores, node v20\.0\.0/);
    for (const t of buildFakeResult().targets) assert.ok(text.includes(t.name), t.name);
    assert.match(text, /harness signature verification\s+4000/);
    assert.match(text, /not measured/);
  });

  test('writes latest.json, a dated copy with the same content, and one history line per run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    try {
      const result = buildFakeResult();
      const written = await writeReport(result, join(dir, 'results'));
      assert.deepEqual((await readdir(join(dir, 'results'))).sort(), ['bench-2027-03-01T10-00-00Z.json', 'history.jsonl', 'latest.json']);
      await writeReport(result, join(dir, 'results'));
      const lines = (await readFile(written.history, 'utf8')).trim().split('\n');
      assert.equal(lines.length, 2);
      assert.equal(JSON.parse(lines[0] ?? '{}').startedAt, result.startedAt);
      const latest = await readFile(written.latest, 'utf8');
      assert.equal(await readFile(written.dated, 'utf8'), latest);
      assert.deepEqual(JSON.parse(latest), result);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('formats tables, stamps and statistics', () => {
    assert.equal(formatTable(['a', 'bb'], [['ccc', 'd']]), 'a    bb\n---  --\nccc  d');
    assert.equal(formatFileStamp('2027-03-01T10:00:00.123Z'), '2027-03-01T10-00-00Z');
    assert.equal(computeMedian([3, 1, 2]), 2);
    assert.equal(computeMedian([4, 1, 2, 3]), 2.5);
    assert.equal(computePercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.equal(
      computeSlope([
        { x: 0, y: 1 },
        { x: 2, y: 5 },
      ]),
      2,
    );
  });
});
