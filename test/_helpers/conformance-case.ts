/**
 * Runs one conformance case through a fresh case SP in-process, without HTTP: the case's plan, its
 * `before` step, the ACS core and the trace it writes. For unit tests that assert which check
 * refused a case. A case whose `before` step drives the SP over HTTP (startSignIn, signIn) needs the
 * real runner instead.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildCaseKit } from '../../src/conformance/case-kit.js';
import { buildCaseSp } from '../../src/conformance/case-sp.js';
import { conformanceCases } from '../../src/conformance/cases/index.js';
import type { CaseKit, ConformanceCase } from '../../src/conformance/types.js';
import type { ErrorCode } from '../../src/core/errors.js';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { selectHeadlineFailure } from '../../src/core/sp/traces.js';
import { readKeyPair, readSpKeys } from '../../src/runtime/keys.js';

/** Nothing listens here: the in-process run never leaves the process. */
const PUBLIC_BASE_URL = 'http://127.0.0.1:9';

/** What one in-process run of a case produced, in plain data (it crosses a worker boundary). */
export interface CaseRun {
  ok: boolean;
  /** The failing check the report headlines (the same rule Mimecast's failure page names). */
  headline: { id: string; code: ErrorCode | null } | null;
  failing: { id: string; code: ErrorCode | null }[];
  statuses: Record<string, string>;
  /** Time spent in the ACS core alone, in ms. */
  acsMs: number;
}

/** The kit the case unit tests build from: the trusted IdP key, a second test key as the attacker's. */
export function buildUnitKit(): CaseKit {
  return buildCaseKit({
    publicBaseUrl: PUBLIC_BASE_URL,
    idp: readKeyPair('idp-signing-1'),
    attacker: readKeyPair('idp-signing-2'),
    spEncryptionCert: readSpKeys().encryptionCert,
  });
}

/** The case with this id; throws when the catalogue has none. */
export function findCase(id: string): ConformanceCase {
  const found = conformanceCases.find((c) => c.id === id);
  if (!found) throw new Error(`no conformance case ${id}`);
  return found;
}

/** Builds the case, seeds a fresh SP, posts the message to the ACS core, and closes the SP. */
export async function runCaseInProcess(testCase: ConformanceCase, kit: CaseKit = buildUnitKit()): Promise<CaseRun> {
  const plan = await testCase.build(kit);
  const sp = await buildCaseSp({
    publicBaseUrl: PUBLIC_BASE_URL,
    spKeys: readSpKeys(),
    idpCert: kit.idp.cert,
    issuer: kit.issuer,
    now: kit.now,
    settings: plan.settings,
  });
  try {
    await plan.before?.(sp.handle);
    sp.clock.set(new Date(kit.now.getTime() + (plan.now ?? 0)));
    const started = performance.now();
    const outcome = await consumeSamlResponse(sp.ctx, { samlResponse: plan.samlResponse, relayState: plan.relayState ?? null });
    const acsMs = performance.now() - started;
    const checks = outcome.trace.checks;
    const headline = selectHeadlineFailure(checks);
    return {
      ok: outcome.ok,
      headline: headline ? { id: headline.id, code: headline.code ?? null } : null,
      failing: checks.filter((c) => c.status === 'fail').map((c) => ({ id: c.id, code: c.code ?? null })),
      statuses: Object.fromEntries(checks.map((c) => [c.id, c.status])),
      acsMs,
    };
  } finally {
    await sp.close();
  }
}

const THIS_MODULE = pathToFileURL(resolve(import.meta.dirname, 'conformance-case.ts')).href;

const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
register();
const { findCase, runCaseInProcess } = await import(workerData.module);
parentPort.postMessage(await runCaseInProcess(findCase(workerData.id)));
`;

/**
 * Runs a case in a worker thread and gives up after `deadlineMs`, terminating the worker: a case
 * that holds the event loop (a backtracking pattern) fails the test instead of hanging the run.
 */
export async function runCaseInWorker(id: string, deadlineMs: number): Promise<CaseRun | 'timed-out'> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: THIS_MODULE, id } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<CaseRun | 'timed-out'>((done, fail) => {
      timer = setTimeout(() => done('timed-out'), deadlineMs);
      worker.once('message', done);
      worker.once('error', fail);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
