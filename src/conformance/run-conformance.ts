/**
 * Runs the conformance cases against the real SP over real HTTP: one listening server on
 * 127.0.0.1:0 whose handler is swapped for a freshly built and seeded SP before every case, so no
 * state (replay cache, pending requests, sessions, traces) leaks from one case into the next.
 */
import type { RequestListener } from 'node:http';
import { type ErrorCode, errorCodes } from '../core/errors.js';
import { generateTestCertificate } from '../core/saml/certs.js';
import { readKeyPair, readSpKeys } from '../runtime/keys.js';
import { listen } from '../server.js';
import { type AcsAnswer, isLandingPage, postToAcs } from './acs-client.js';
import { buildCaseKit, CONFORMANCE_NOW } from './case-kit.js';
import { buildCaseSp } from './case-sp.js';
import { selectCases } from './cases/index.js';
import type { CaseKit, CaseResult, ConformanceCase, ConformanceReport, NodeSamlVerdict } from './types.js';

/** Options of a conformance run. */
export interface RunConformanceOptions {
  /** Only cases whose id or reference contains this text (case-insensitive). */
  filter?: string;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(errorCodes);

/**
 * Runs every selected case and returns one result per case. A case passes when the SP did what it
 * expects — signed in for a control, refused with the expected code for everything else — and never
 * answered with a 5xx. Every server and store is closed before this returns.
 */
export async function runConformance(options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const started = Date.now();
  const cases = selectCases(options.filter);
  if (cases.length === 0)
    return { startedAt: new Date(started).toISOString(), durationMs: 0, total: 0, passed: 0, failed: 0, hostileSignedIn: [], results: [] };
  const spKeys = readSpKeys();
  const idp = readKeyPair('idp-signing-1');
  const generated = await generateTestCertificate({
    commonName: 'attacker.example (conformance, untrusted)',
    days: 30,
    notBefore: new Date(CONFORMANCE_NOW.getTime() - 86_400_000),
  });
  const attacker = { key: generated.keyPem, cert: generated.certPem };

  let current: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const listening = await listen((req, res) => current(req, res), '127.0.0.1', 0);
  const results: CaseResult[] = [];
  try {
    const kit = buildCaseKit({ publicBaseUrl: listening.url, idp, attacker, spEncryptionCert: spKeys.encryptionCert });
    for (const testCase of cases) {
      results.push(
        await runCase(testCase, kit, async (plan) => {
          const sp = await buildCaseSp({
            publicBaseUrl: listening.url,
            spKeys,
            idpCert: idp.cert,
            issuer: kit.issuer,
            now: kit.now,
            settings: plan.settings,
          });
          current = sp.app;
          return sp;
        }),
      );
    }
  } finally {
    await listening.close();
  }
  const failed = results.filter((r) => !r.pass);
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    total: results.length,
    passed: results.length - failed.length,
    failed: failed.length,
    hostileSignedIn: results.filter((r) => r.expected === 'refused' && r.actual === 'accepted').map((r) => r.id),
    results,
  };
}

type PlanOf = Awaited<ReturnType<ConformanceCase['build']>>;
type SpOf = Awaited<ReturnType<typeof buildCaseSp>>;

async function runCase(testCase: ConformanceCase, kit: CaseKit, startSp: (plan: PlanOf) => Promise<SpOf>): Promise<CaseResult> {
  const t0 = Date.now();
  const base = {
    id: testCase.id,
    title: testCase.title,
    reference: testCase.reference,
    expected: testCase.expected,
    expectedCode: testCase.expectedCode ?? null,
  };
  let sp: SpOf | null = null;
  try {
    const plan = await testCase.build(kit);
    sp = await startSp(plan);
    await plan.before?.(sp.handle);
    sp.clock.set(new Date(kit.now.getTime() + (plan.now ?? 0)));
    const previous = (await sp.stores.traces.list({ limit: 1 }))[0]?.id ?? null;
    const posted = Date.now();
    const answer = await postToAcs(kit.acsUrl, plan.samlResponse, plan.relayState);
    const answerMs = Date.now() - posted;
    const newest = (await sp.stores.traces.list({ limit: 1 }))[0] ?? null;
    const trace = newest && newest.id !== previous && newest.kind === 'response' ? newest : null;
    const failing = trace ? trace.checks.filter((c) => c.status === 'fail') : [];
    const codes = trace ? failing.map((c) => c.code).filter((c): c is ErrorCode => c !== undefined) : readCodesFromPage(answer);
    const nodeSaml = trace?.checks.find((c) => c.id === 'node-saml');
    const nodeSamlAlone: NodeSamlVerdict = nodeSaml?.status === 'pass' ? 'accepted' : nodeSaml?.status === 'fail' ? 'refused' : 'not-run';
    const strictSignIn = answer.status === 303 && isLandingPage(answer.location) && answer.sessionCookie && trace?.outcome === 'success';
    // Any one sign of success counts as a sign-in, so a half-successful hostile message is never "refused".
    const anySignIn = answer.sessionCookie || trace?.outcome === 'success' || (answer.status === 303 && isLandingPage(answer.location));
    const actual = anySignIn ? 'accepted' : 'refused';
    const problem = judge(testCase, { actual, strictSignIn, codes, status: answer.status, answerMs });
    return {
      ...base,
      actual,
      codes,
      failedChecks: failing.map((c) => ({ id: c.id, code: c.code ?? null })),
      nodeSamlAlone,
      http: { status: answer.status, location: answer.location, sessionCookie: answer.sessionCookie, traceOutcome: trace?.outcome ?? null },
      pass: problem === null,
      problem,
      durationMs: Date.now() - t0,
    };
  } catch (error) {
    return {
      ...base,
      actual: 'refused',
      codes: [],
      failedChecks: [],
      nodeSamlAlone: 'not-run',
      http: { status: 0, location: null, sessionCookie: false, traceOutcome: null },
      pass: false,
      problem: `the case could not run: ${error instanceof Error ? error.message : String(error)}`,
      durationMs: Date.now() - t0,
    };
  } finally {
    await sp?.close();
  }
}

function judge(
  testCase: ConformanceCase,
  seen: { actual: string; strictSignIn: boolean; codes: ErrorCode[]; status: number; answerMs: number },
): string | null {
  if (seen.status >= 500) return `the SP answered HTTP ${seen.status}; nothing a client sends may produce a 5xx`;
  if (testCase.answerWithinMs !== undefined && seen.answerMs > testCase.answerWithinMs) {
    return `the SP answered after ${seen.answerMs} ms; this message must be answered within ${testCase.answerWithinMs} ms`;
  }
  if (testCase.expected === 'accepted') {
    if (seen.strictSignIn) return null;
    return seen.actual === 'accepted'
      ? 'signed in only partly (redirect, cookie and trace disagree)'
      : `refused with ${seen.codes.join(', ') || 'no code'}`;
  }
  if (seen.actual === 'accepted') return 'SIGNED IN: a hostile or broken message was accepted';
  if (testCase.expectedCode && !seen.codes.includes(testCase.expectedCode)) {
    return `refused, but without ${testCase.expectedCode} (got ${seen.codes.join(', ') || 'no code'})`;
  }
  return null;
}

/** When the HTTP layer refused before the ACS ran (no trace), the page names the catalogue code. */
function readCodesFromPage(answer: AcsAnswer): ErrorCode[] {
  const found = answer.body.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [];
  return [...new Set(found)].filter((c): c is ErrorCode => KNOWN_CODES.has(c));
}
