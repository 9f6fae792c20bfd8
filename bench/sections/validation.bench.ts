/**
 * Section 1: responses per second of node-saml's validatePostResponseAsync alone against the
 * harness's ACS core (consumeSamlResponse: every check, node-saml as one of them, trace written,
 * assertion id consumed) on the same pre-generated responses. The two sides take turns every ten
 * responses, the first alternating, and medians of rounds are compared, so a noisy neighbour on a shared
 * machine hurts both sides alike.
 */
import type { SAML } from '@node-saml/node-saml';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { createNodeSamlBaseline, type InProcessSp, startInProcessSp } from '../lib/in-process-sp.js';
import type { ValidationSection } from '../lib/report-types.js';
import { createResponseFactory } from '../lib/responses.js';
import { computeMedian, roundTo } from '../lib/stats.js';
import { measureAcsPhases } from './acs-phases.js';

export interface ValidationOptions {
  /** Distinct responses in the timed rounds; each is validated once by each side. */
  responses: number;
  rounds: number;
  warmup: number;
  /** Responses for the phase breakdown; 0 skips it. */
  phaseResponses: number;
  /** Run the phase breakdown only when the ratio is below this (Infinity: always). */
  phasesBelowRatio: number;
  log(line: string): void;
}

/** Validates each response with the shared node-saml instance; returns [elapsed ms, accepted]. */
async function timeNodeSaml(saml: SAML, responses: readonly string[]): Promise<[number, number]> {
  let accepted = 0;
  const start = performance.now();
  for (const SAMLResponse of responses) {
    try {
      await saml.validatePostResponseAsync({ SAMLResponse });
      accepted++;
    } catch {
      // Counted below: a refusal means the comparison is not like for like.
    }
  }
  return [performance.now() - start, accepted];
}

/** Runs each response through the ACS core; returns [elapsed ms, sign-ins]. */
async function timeAcs(sp: InProcessSp, responses: readonly string[]): Promise<[number, number]> {
  let signIns = 0;
  const start = performance.now();
  for (const samlResponse of responses) {
    const outcome = await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null });
    if (outcome.ok) signIns++;
  }
  return [performance.now() - start, signIns];
}

/** Responses per block: the two sides take turns every block, so a burst of load from a neighbour lands on both. */
const BLOCK = 10;

/**
 * One round: the slice in blocks of BLOCK, each block validated by both sides back to back, the side
 * that goes first alternating. Returns [per second, accepted] for node-saml and for the ACS core.
 */
async function timeRound(saml: SAML, sp: InProcessSp, slice: readonly string[], nodeFirst: boolean): Promise<{ node: [number, number]; acs: [number, number] }> {
  const totals = { nodeMs: 0, nodeOk: 0, acsMs: 0, acsOk: 0 };
  for (let at = 0, b = 0; at < slice.length; at += BLOCK, b++) {
    const block = slice.slice(at, at + BLOCK);
    const runNode = async () => {
      const [ms, ok] = await timeNodeSaml(saml, block);
      totals.nodeMs += ms;
      totals.nodeOk += ok;
    };
    const runAcs = async () => {
      const [ms, ok] = await timeAcs(sp, block);
      totals.acsMs += ms;
      totals.acsOk += ok;
    };
    if ((b % 2 === 0) === nodeFirst) {
      await runNode();
      await runAcs();
    } else {
      await runAcs();
      await runNode();
    }
  }
  return {
    node: [slice.length / (totals.nodeMs / 1000), totals.nodeOk],
    acs: [slice.length / (totals.acsMs / 1000), totals.acsOk],
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs the section on an in-process harness and returns its numbers. */
export async function runValidationBench(options: ValidationOptions): Promise<ValidationSection> {
  const sp = await startInProcessSp();
  try {
    const generate = createResponseFactory(sp.target);
    const roundSize = Math.max(1, Math.floor(options.responses / options.rounds));
    options.log(`validation: generating ${options.warmup + roundSize * options.rounds} signed responses (untimed)`);
    const warmup = generate(options.warmup);
    const timed = generate(roundSize * options.rounds);
    const saml = createNodeSamlBaseline(sp);

    await timeRound(saml, sp, warmup, true);

    const nodeRates: number[] = [];
    const acsRates: number[] = [];
    const paired: number[] = [];
    let nodeAccepted = 0;
    let acsAccepted = 0;
    for (let r = 0; r < options.rounds; r++) {
      const slice = timed.slice(r * roundSize, (r + 1) * roundSize);
      collectGarbage();
      const { node, acs } = await timeRound(saml, sp, slice, r % 2 === 0);
      nodeRates.push(node[0]);
      acsRates.push(acs[0]);
      paired.push(acs[0] / node[0]);
      nodeAccepted += node[1];
      acsAccepted += acs[1];
      options.log(`validation: round ${r + 1}/${options.rounds} node-saml ${node[0].toFixed(0)}/s, ACS ${acs[0].toFixed(0)}/s`);
    }
    const nodeMedian = computeMedian(nodeRates);
    const acsMedian = computeMedian(acsRates);
    const ratio = acsMedian / nodeMedian;
    const runPhases = options.phaseResponses > 0 && ratio < options.phasesBelowRatio;
    if (runPhases) options.log(`validation: ratio ${ratio.toFixed(2)}; timing the ACS phases on ${options.phaseResponses} more responses`);
    const phases = runPhases ? await measureAcsPhases(sp, saml, generate(options.phaseResponses)) : null;
    return {
      responses: roundSize * options.rounds,
      rounds: options.rounds,
      roundSize,
      nodeSamlPerSecond: { median: roundTo(nodeMedian, 1), rounds: nodeRates.map((v) => roundTo(v, 1)) },
      acsPerSecond: { median: roundTo(acsMedian, 1), rounds: acsRates.map((v) => roundTo(v, 1)) },
      ratio: roundTo(ratio, 3),
      pairedRatioMedian: roundTo(computeMedian(paired), 3),
      accepted: { nodeSaml: nodeAccepted, acs: acsAccepted, of: roundSize * options.rounds },
      phases,
    };
  } finally {
    await sp.close();
  }
}
