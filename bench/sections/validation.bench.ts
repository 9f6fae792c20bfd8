/**
 * Section 1: responses per second of node-saml's validatePostResponseAsync alone against the
 * harness's ACS core (consumeSamlResponse: every check, node-saml as one of them, trace written,
 * assertion id consumed) on the same pre-generated responses. Rounds alternate which side goes first
 * and medians are compared, so a noisy neighbour on a shared machine hurts both sides alike.
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

/** Validates each response with the shared node-saml instance; returns [per second, accepted]. */
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
  return [responses.length / ((performance.now() - start) / 1000), accepted];
}

/** Runs each response through the ACS core; returns [per second, sign-ins]. */
async function timeAcs(sp: InProcessSp, responses: readonly string[]): Promise<[number, number]> {
  let signIns = 0;
  const start = performance.now();
  for (const samlResponse of responses) {
    const outcome = await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null });
    if (outcome.ok) signIns++;
  }
  return [responses.length / ((performance.now() - start) / 1000), signIns];
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

    await timeNodeSaml(saml, warmup);
    await timeAcs(sp, warmup);

    const nodeRates: number[] = [];
    const acsRates: number[] = [];
    const paired: number[] = [];
    let nodeAccepted = 0;
    let acsAccepted = 0;
    for (let r = 0; r < options.rounds; r++) {
      const slice = timed.slice(r * roundSize, (r + 1) * roundSize);
      let node: [number, number];
      let acs: [number, number];
      collectGarbage();
      if (r % 2 === 0) {
        node = await timeNodeSaml(saml, slice);
        collectGarbage();
        acs = await timeAcs(sp, slice);
      } else {
        acs = await timeAcs(sp, slice);
        collectGarbage();
        node = await timeNodeSaml(saml, slice);
      }
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
