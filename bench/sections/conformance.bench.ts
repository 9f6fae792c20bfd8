/**
 * Section 5: wall time of the conformance suite (src/conformance/run-conformance.ts), when it exists.
 * The module is loaded by path at run time so the bench still runs (and says "not measured") before
 * the suite is written.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConformanceSection } from '../lib/report-types.js';

const MODULE = new URL('../../src/conformance/run-conformance.ts', import.meta.url);

/** Reads a count from the report when it has one. */
function readCount(report: unknown, key: 'total' | 'passed' | 'failed'): number | null {
  const value = (report as Record<string, unknown> | null)?.[key];
  return typeof value === 'number' ? value : null;
}

/** Runs runConformance() once and times it; never throws. */
export async function runConformanceBench(options: { log(line: string): void }): Promise<ConformanceSection> {
  if (!existsSync(fileURLToPath(MODULE))) return { measured: false, reason: 'src/conformance/run-conformance.ts does not exist yet' };
  try {
    const mod = (await import(MODULE.href)) as { runConformance?: () => Promise<unknown> };
    if (typeof mod.runConformance !== 'function') return { measured: false, reason: 'run-conformance.ts exports no runConformance()' };
    options.log('conformance: running runConformance()');
    const started = performance.now();
    const report = await mod.runConformance();
    const wallMs = Math.round(performance.now() - started);
    return {
      measured: true,
      wallMs,
      total: readCount(report, 'total'),
      passed: readCount(report, 'passed'),
      failed: readCount(report, 'failed'),
    };
  } catch (error) {
    return { measured: false, reason: `runConformance() failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
