/**
 * `npm run bench`: the harness's performance in one run on this machine, printed as a table and
 * written to bench/results/latest.json and a dated copy (a folder git ignores; --out DIR for another).
 * See bench/README.md for what each number means. Everything targets loopback, is bounded in count and
 * time, and stops by itself.
 *
 *   npm run bench                          all sections, memory over 50,000 ACS calls: about 10 minutes
 *   npm run bench -- --quick               memory over 2,500 calls: about 3 minutes
 *   npm run bench -- --only validation,http
 *   npm run bench -- --only hostile        heavy and hostile inputs on the ACS, metadata import and mock Entra: seconds
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureFreshBuild } from './lib/fresh-build.js';
import { describeMachine } from './lib/machine.js';
import { formatReport, writeReport } from './lib/report.js';
import type { BenchResult } from './lib/report-types.js';
import { buildTargets } from './lib/targets.js';
import { runColdStartBench } from './sections/cold-start.bench.js';
import { runConformanceBench } from './sections/conformance.bench.js';
import { runHarnessBench } from './sections/harness.bench.js';
import { runHostileBench } from './sections/hostile.bench.js';
import { runHttpBench } from './sections/http.bench.js';
import { runMemoryBench } from './sections/memory.bench.js';
import { runValidationBench } from './sections/validation.bench.js';
import { runWorkersBench } from './sections/workers.bench.js';

const SECTIONS = ['validation', 'http', 'workers', 'harness', 'memory', 'cold-start', 'conformance', 'hostile'] as const;
type SectionName = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    phases: { type: 'boolean', default: false },
    'validation-responses': { type: 'string', default: '2000' },
    'http-requests': { type: 'string', default: '1200' },
    'http-seconds': { type: 'string', default: '15' },
    'http-warmup': { type: 'string', default: '100' },
    'memory-requests': { type: 'string' },
    'hostile-runs': { type: 'string', default: '5' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
});

/** Reads a positive integer option or stops with a usage message. */
function readCount(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return n;
}

const only = new Set((values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const name of only)
  if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section ${name}; sections: ${SECTIONS.join(', ')}`);
const options = {
  validationResponses: readCount('validation-responses', values['validation-responses']),
  validationRounds: 8,
  validationWarmup: 400,
  phaseResponses: 200,
  httpConnections: 32,
  httpRequests: readCount('http-requests', values['http-requests']),
  httpSeconds: readCount('http-seconds', values['http-seconds']),
  httpWarmup: readCount('http-warmup', values['http-warmup']),
  memoryRequests: readCount('memory-requests', values['memory-requests'] ?? (values.quick ? '2500' : '50000')),
  memoryWarmup: 500,
  coldStartRuns: 3,
  hostileRuns: readCount('hostile-runs', values['hostile-runs']),
  alwaysPhases: values.phases === true,
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const wants = (name: SectionName) => only.has(name);

const startedAt = new Date();
const started = performance.now();
const result: BenchResult = {
  schema: 1,
  startedAt: startedAt.toISOString(),
  durationMs: 0,
  machine: describeMachine(),
  options,
  sections: {},
  targets: [],
  notes: [],
};
log(`machine: ${result.machine.cpuModel}, ${result.machine.cores} cores, node ${result.machine.node}`);

/** Runs one section; a failure is recorded as a note and the run goes on. */
async function runSection<T>(name: SectionName, fn: () => Promise<T>): Promise<T | undefined> {
  if (!wants(name)) return undefined;
  const t0 = performance.now();
  try {
    const value = await fn();
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    result.notes.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    log(`${name}: FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return undefined;
  }
}

const s = result.sections;
// The CLI the spawning sections start must be the compiled one, or they time tsx compiling src/.
if (wants('http') || wants('workers') || wants('cold-start')) ensureFreshBuild(log);
const validation = await runSection('validation', () =>
  runValidationBench({
    responses: options.validationResponses,
    rounds: options.validationRounds,
    warmup: options.validationWarmup,
    phaseResponses: options.phaseResponses,
    // Always: the SP's own work against node-saml is a target of its own, read from the phases.
    phasesBelowRatio: Number.POSITIVE_INFINITY,
    log,
  }),
);
if (validation) s.validation = validation;
const http = await runSection('http', () =>
  runHttpBench({
    connections: options.httpConnections,
    requests: options.httpRequests,
    warmupRequests: options.httpWarmup,
    maxSeconds: options.httpSeconds,
    log,
  }),
);
if (http) s.http = http;
const workers = await runSection('workers', () =>
  runWorkersBench({
    counts: [1, 2, 4],
    connections: options.httpConnections,
    requests: values.quick ? 400 : 800,
    warmupRequests: 60,
    maxSeconds: options.httpSeconds,
    log,
  }),
);
if (workers) s.workers = workers;
const harness = await runSection('harness', () => runHarnessBench({ starts: 20, signIns: 50, log }));
if (harness) s.harness = harness;
const memory = await runSection('memory', () =>
  runMemoryBench({
    requests: options.memoryRequests,
    warmup: options.memoryWarmup,
    batch: 500,
    purgeEvery: 1000,
    sampleEvery: 500,
    timeoutSeconds: 30 + options.memoryRequests / 10,
    log,
  }),
);
if (memory) s.memory = memory;
const coldStart = await runSection('cold-start', () => runColdStartBench({ runs: options.coldStartRuns, log }));
if (coldStart) s.coldStart = coldStart;
const conformance = await runSection('conformance', () => runConformanceBench({ log }));
if (conformance) s.conformance = conformance;
const hostile = await runSection('hostile', () => runHostileBench({ runs: options.hostileRuns, log }));
if (hostile) s.hostile = hostile;

const built = buildTargets(result.sections);
result.targets = built.targets;
result.notes.push(...built.notes);
result.durationMs = Math.round(performance.now() - started);
process.stdout.write(`\n${formatReport(result)}\n`);
const written = await writeReport(result, values.out);
process.stdout.write(`\nwrote ${written.latest} and ${written.dated}; appended a line to ${written.history}\n`);
