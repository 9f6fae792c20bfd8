/**
 * Section 2: sign-ins per second and latency over HTTP. The CLI's `start` runs in a child process
 * (loopback, temporary SQLite file, ACS rate limit off) and autocannon posts distinct pre-generated
 * responses to POST /login/saml from 32 connections. Every answer is checked: a sign-in is a 303 to
 * /portal; anything else is counted apart, so refusals cannot pass for throughput.
 */
import autocannon from 'autocannon';
import { runPacedLoad } from '../lib/paced-load.js';
import type { HttpSection, PacedLevel } from '../lib/report-types.js';
import { BENCH_AUDIENCE, BENCH_EMAIL, createResponseFactory } from '../lib/responses.js';
import { startServerProcess } from '../lib/server-process.js';
import { computePercentile, roundTo } from '../lib/stats.js';
import { TARGETS } from '../lib/targets.js';

/** Shares of the saturated rate the paced runs offer, and how long each lasts. */
const PACED_FRACTIONS = [0.25, 0.5, 0.75, 0.9] as const;
const PACED_SECONDS = 5;
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

export interface HttpOptions {
  connections: number;
  /** Measured requests, each with its own response. */
  requests: number;
  warmupRequests: number;
  /** Hard stop for the measured run, whatever remains. */
  maxSeconds: number;
  log(line: string): void;
}

interface Tally {
  /** Response times of every answer, and of the 303 answers alone. */
  latencies: number[];
  signInLatencies: number[];
  /** Sign-ins other than each connection's first answer, which also waits for the server to accept it. */
  warmSignInLatencies: number[];
  statusCounts: Record<string, number>;
  signIns: number;
  /** performance.now() when the first request was set up and when the last answer arrived. */
  firstRequestAt: number;
  lastAnswerAt: number;
}

/**
 * Seconds from the first request to the last answer. autocannon reports completion on its
 * one-second sampling tick, so timing around the whole call would round every run up to that tick.
 */
export function measureSeconds(tally: Tally): number {
  return Math.max(0.001, (tally.lastAnswerAt - tally.firstRequestAt) / 1000);
}

/** A header by name, whatever its case on the wire (autocannon passes raw header names). */
function readHeader(headers: Record<string, unknown> | undefined, name: string): string | null {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : String(headers?.[key]);
}

/** Posts each body once (in order, shared across connections) and tallies what came back. */
export function fireBodies(
  url: string,
  bodies: readonly string[],
  connections: number,
  maxSeconds: number,
): Promise<{ result: autocannon.Result; tally: Tally }> {
  let next = 0;
  const tally: Tally = {
    latencies: [],
    signInLatencies: [],
    warmSignInLatencies: [],
    statusCounts: {},
    signIns: 0,
    firstRequestAt: Number.NaN,
    lastAnswerAt: Number.NaN,
  };
  const answeredClients = new Set<unknown>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: bodies.length,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/login/saml',
            headers: FORM_HEADERS,
            setupRequest: (request) => {
              if (Number.isNaN(tally.firstRequestAt)) tally.firstRequestAt = performance.now();
              // Past the end a body repeats; the ACS then refuses it as a replay and it is counted apart.
              const body = bodies[next++ % bodies.length] as string;
              return { ...request, body: `SAMLResponse=${encodeURIComponent(body)}` };
            },
            onResponse: (status, _body, _context, headers) => {
              tally.statusCounts[status] = (tally.statusCounts[status] ?? 0) + 1;
              if (status === 303 && readHeader(headers, 'location') === '/portal') tally.signIns++;
            },
          },
        ],
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) reject(error);
        else resolve({ result, tally });
      },
    );
    // autocannon emits (client, status, bytes, responseTime); its typings leave out the client.
    (instance as NodeJS.EventEmitter).on('response', (...args: unknown[]) => {
      tally.lastAnswerAt = performance.now();
      tally.latencies.push(Number(args[3]));
      const firstOnConnection = !answeredClients.has(args[0]);
      answeredClients.add(args[0]);
      if (Number(args[1]) === 303) {
        tally.signInLatencies.push(Number(args[3]));
        if (!firstOnConnection) tally.warmSignInLatencies.push(Number(args[3]));
      }
    });
    // `amount` takes precedence over `duration` in autocannon, so the time bound is enforced here.
    const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  });
}

/** Runs the section against a fresh server process and returns its numbers. */
export async function runHttpBench(options: HttpOptions): Promise<HttpSection> {
  const server = await startServerProcess({ env: { MOCK_MIMECAST_RATE_LIMIT_ACS: '0', MOCK_MIMECAST_RATE_LIMIT_SIGN_IN: '0' } });
  try {
    const generate = createResponseFactory({
      acsUrl: server.replyUrl,
      audience: BENCH_AUDIENCE,
      tenantId: server.tenantId,
      email: BENCH_EMAIL,
    });
    options.log(`http: generating ${options.warmupRequests + options.requests} signed responses (untimed)`);
    const warmup = generate(options.warmupRequests);
    const bodies = generate(options.requests);
    await fireBodies(server.spUrl, warmup, Math.min(4, options.connections), options.maxSeconds);
    options.log(`http: ${options.requests} requests at ${options.connections} connections (at most ${options.maxSeconds} s)`);
    const { result, tally } = await fireBodies(server.spUrl, bodies, options.connections, options.maxSeconds);
    const seconds = measureSeconds(tally);
    const done = tally.latencies.length;
    const paced = await measurePaced(server.spUrl, generate, tally.signIns / seconds, options);
    // Latency is judged on sign-ins: a refusal (429, 403) is cheaper and would flatter the numbers.
    const timed = tally.signInLatencies;
    return {
      connections: options.connections,
      requests: done,
      durationSeconds: roundTo(seconds, 2),
      requestsPerSecond: roundTo(done / seconds, 1),
      signInsPerSecond: roundTo(tally.signIns / seconds, 1),
      latencyMs: {
        mean: roundTo(timed.reduce((a, b) => a + b, 0) / timed.length, 1),
        p50: roundTo(computePercentile(timed, 50), 1),
        p90: roundTo(computePercentile(timed, 90), 1),
        p99: roundTo(computePercentile(timed, 99), 1),
        max: roundTo(computePercentile(timed, 100), 1),
        p99WarmConnections: roundTo(computePercentile(tally.warmSignInLatencies, 99), 1),
        maxWarmConnections: roundTo(computePercentile(tally.warmSignInLatencies, 100), 1),
      },
      allAnswersP99Ms: roundTo(computePercentile(tally.latencies, 99), 1),
      statusCounts: tally.statusCounts,
      signIns: tally.signIns,
      errors: result.errors,
      timeouts: result.timeouts,
      paced,
      latencyBoundedPerSecond: findLatencyBoundedRate(paced),
    };
  } finally {
    await server.stop();
  }
}

/**
 * Paced runs at fractions of the saturated sign-in rate over the same number of connections, about
 * `PACED_SECONDS` each, with latency counted from each request's due time (bench/lib/paced-load.ts).
 */
async function measurePaced(url: string, generate: (n: number) => string[], capacity: number, options: HttpOptions): Promise<PacedLevel[]> {
  const levels: PacedLevel[] = [];
  for (const fraction of PACED_FRACTIONS) {
    const perSecond = Math.floor(capacity * fraction);
    if (perSecond < 1) continue;
    const bodies = generate(Math.max(20, Math.round(perSecond * PACED_SECONDS)));
    options.log(
      `http: ${bodies.length} sign-ins paced at ${perSecond}/s (${Math.round(fraction * 100)}% of the saturated rate) over ${options.connections} connections`,
    );
    const run = await runPacedLoad({
      origin: url,
      path: '/login/saml',
      headers: FORM_HEADERS,
      bodies: bodies.map((b) => `SAMLResponse=${encodeURIComponent(b)}`),
      perSecond,
      connections: options.connections,
      maxSeconds: options.maxSeconds,
      isSuccess: (status, location) => status === 303 && location === '/portal',
    });
    const timed = run.successLatencies;
    const pct = (p: number) => (timed.length === 0 ? null : roundTo(computePercentile(timed, p), 1));
    levels.push({
      fraction,
      offeredPerSecond: perSecond,
      sent: run.sent,
      signIns: timed.length,
      p50: pct(50),
      p90: pct(90),
      p99: pct(99),
      max: pct(100),
      maxSendLagMs: roundTo(run.maxSendLagMs, 1) ?? 0,
      statusCounts: run.statusCounts,
      errors: run.errors,
    });
  }
  return levels;
}

/** The highest paced rate at which every request signed in and p99 stayed under the target. */
function findLatencyBoundedRate(levels: PacedLevel[]): number | null {
  const good = levels.filter((l) => l.signIns === l.sent && l.p99 !== null && l.p99 < TARGETS.httpP99Ms);
  return good.length === 0 ? null : Math.max(...good.map((l) => l.offeredPerSecond));
}
