/**
 * Section 1: responses per second of node-saml's validatePostResponseAsync alone against the
 * harness's ACS core (consumeSamlResponse: every check, node-saml as one of them, trace written,
 * assertion id consumed) on the same pre-generated responses. The two sides take turns every ten
 * responses, the first alternating, and medians of rounds are compared, so a noisy neighbour on a shared
 * machine hurts both sides alike.
 */
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { createNodeSamlBaseline, startInProcessSp } from '../lib/in-process-sp.js';
import { createPeers } from '../lib/peers.js';
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

/** One validator under test: resolves true when the response was accepted (a sign-in for the ACS). */
interface Side {
  name: string;
  run(response: string): Promise<boolean>;
}

/** Runs each response through one side; returns [elapsed ms, accepted]. */
async function timeSide(side: Side, responses: readonly string[]): Promise<[number, number]> {
  let accepted = 0;
  const start = performance.now();
  for (const response of responses) if (await side.run(response)) accepted++;
  return [performance.now() - start, accepted];
}

/** Responses per block: the sides take turns every block, so a burst of load from a neighbour lands on all. */
const BLOCK = 10;

/**
 * One round: the slice in blocks of BLOCK, each block validated by every side back to back, the order
 * rotating block by block. Returns [per second, accepted] for each side, in the order given.
 */
async function timeRound(sides: readonly Side[], slice: readonly string[], offset: number): Promise<[number, number][]> {
  const ms = sides.map(() => 0);
  const ok = sides.map(() => 0);
  for (let at = 0, b = offset; at < slice.length; at += BLOCK, b++) {
    const block = slice.slice(at, at + BLOCK);
    for (let k = 0; k < sides.length; k++) {
      const i = (b + k) % sides.length;
      const side = sides[i];
      if (!side) continue;
      const [elapsed, accepted] = await timeSide(side, block);
      ms[i] = (ms[i] ?? 0) + elapsed;
      ok[i] = (ok[i] ?? 0) + accepted;
    }
  }
  return sides.map((_, i) => [slice.length / ((ms[i] ?? 0) / 1000), ok[i] ?? 0]);
}

/** Resolves true when `validate` accepts, false when it throws. */
async function accepts(validate: () => Promise<unknown>): Promise<boolean> {
  try {
    await validate();
    return true;
  } catch {
    return false;
  }
}

/** A copy of a signed response whose signed content was changed: every honest validator refuses it. */
function tamper(response: string): string {
  const xml = Buffer.from(response, 'base64').toString('utf8');
  return Buffer.from(xml.replace('>B.Simon@contoso.com<', '>B.Simon@contoso.co<'), 'utf8').toString('base64');
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
    const { peers, unavailable } = await createPeers(sp);
    const sides: Side[] = [
      { name: 'node-saml', run: (SAMLResponse) => accepts(() => saml.validatePostResponseAsync({ SAMLResponse })) },
      { name: 'ACS', run: async (samlResponse) => (await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null })).ok },
      ...peers.map((peer): Side => ({ name: peer.name, run: (response) => accepts(() => peer.validate(response)) })),
    ];
    // Every side must refuse a response whose signed content changed, or its rate means nothing.
    const [probe] = generate(1);
    const refusesTampered: Record<string, boolean> = {};
    for (const side of sides) refusesTampered[side.name] = !(await side.run(tamper(probe ?? '')));

    await timeRound(sides, warmup, 0);

    const rates = sides.map((): number[] => []);
    const paired: number[] = [];
    const accepted = sides.map(() => 0);
    for (let r = 0; r < options.rounds; r++) {
      const slice = timed.slice(r * roundSize, (r + 1) * roundSize);
      collectGarbage();
      const round = await timeRound(sides, slice, r);
      round.forEach(([rate, ok], i) => {
        rates[i]?.push(rate);
        accepted[i] = (accepted[i] ?? 0) + ok;
      });
      paired.push((round[1]?.[0] ?? 0) / (round[0]?.[0] ?? 1));
      options.log(
        `validation: round ${r + 1}/${options.rounds} ${round.map(([rate], i) => `${sides[i]?.name} ${rate.toFixed(0)}/s`).join(', ')}`,
      );
    }
    const [nodeRates = [], acsRates = []] = rates;
    const nodeMedian = computeMedian(nodeRates);
    const acsMedian = computeMedian(acsRates);
    const ratio = acsMedian / nodeMedian;
    const runPhases = options.phaseResponses > 0 && ratio < options.phasesBelowRatio;
    if (runPhases) options.log(`validation: ratio ${ratio.toFixed(2)}; timing the ACS phases on ${options.phaseResponses} more responses`);
    const phases = runPhases ? await measureAcsPhases(sp, saml, generate(options.phaseResponses)) : null;
    const of = roundSize * options.rounds;
    const micros = (prefix: string) => phases?.find((row) => row.phase.startsWith(prefix))?.microsPerResponse ?? null;
    const baselineUs = micros('node-saml validate');
    const ownUs = micros('SP own work');
    return {
      responses: of,
      rounds: options.rounds,
      roundSize,
      nodeSamlPerSecond: { median: roundTo(nodeMedian, 1), rounds: nodeRates.map((v) => roundTo(v, 1)) },
      acsPerSecond: { median: roundTo(acsMedian, 1), rounds: acsRates.map((v) => roundTo(v, 1)) },
      ratio: roundTo(ratio, 3),
      pairedRatioMedian: roundTo(computeMedian(paired), 3),
      accepted: { nodeSaml: accepted[0] ?? 0, acs: accepted[1] ?? 0, of },
      peers: sides.slice(2).map((side, k) => {
        const median = computeMedian(rates[k + 2] ?? []);
        return {
          name: side.name,
          perSecond: roundTo(median, 1),
          acsRatio: roundTo(acsMedian / median, 3),
          accepted: accepted[k + 2] ?? 0,
          refusesTampered: refusesTampered[side.name] ?? false,
        };
      }),
      peersUnavailable: unavailable,
      spOwnRatio: baselineUs && ownUs ? roundTo(baselineUs / ownUs, 2) : null,
      refusesTampered,
      phases,
    };
  } finally {
    await sp.close();
  }
}
