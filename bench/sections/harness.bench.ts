/**
 * Section: the in-process harness as a user's test suite runs it. `startTestHarness()` (SP and mock
 * Entra in this process, in-memory SQLite, the walk-through seeded, metadata imported over loopback)
 * started and closed `starts` times; then `signIns` SP-initiated sign-ins through the sign-in helper
 * (the SP's login page, Entra's credential pages, the post to the ACS, every check) on one harness,
 * each with a fresh browser so none rides on a previous session.
 */
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import type { HarnessSection } from '../lib/report-types.js';
import { computeMedian, computePercentile, roundTo } from '../lib/stats.js';

export interface HarnessOptions {
  starts: number;
  signIns: number;
  log(line: string): void;
}

export async function runHarnessBench(options: HarnessOptions): Promise<HarnessSection> {
  // One untimed start first: module loading and JIT warm-up are not what a test pays per harness.
  await (await startTestHarness()).close();
  const starts: number[] = [];
  for (let i = 0; i < options.starts; i++) {
    const t0 = performance.now();
    const harness = await startTestHarness();
    starts.push(performance.now() - t0);
    await harness.close();
  }
  const harness = await startTestHarness();
  const signIns: number[] = [];
  try {
    const target = { spUrl: harness.spUrl, idpUrl: harness.idpUrl };
    const credentials = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };
    for (let i = 0; i < 5; i++) await signInSpInitiated(target, credentials);
    for (let i = 0; i < options.signIns; i++) {
      const t0 = performance.now();
      const result = await signInSpInitiated(target, credentials);
      signIns.push(performance.now() - t0);
      if (!result.ok)
        throw new Error(`sign-in ${i} failed: ${result.trace?.checks.find((c) => c.status === 'fail')?.id ?? result.aadsts ?? 'no trace'}`);
    }
  } finally {
    await harness.close();
  }
  options.log(`harness: start median ${computeMedian(starts).toFixed(0)} ms, sign-in median ${computeMedian(signIns).toFixed(1)} ms`);
  return {
    startMs: { median: roundTo(computeMedian(starts), 1), runs: starts.map((v) => roundTo(v, 1) ?? 0) },
    signInMs: { median: roundTo(computeMedian(signIns), 1), p90: roundTo(computePercentile(signIns, 90), 1), runs: signIns.length },
  };
}
