/**
 * Section 2: sign-ins per second and latency over HTTP. The CLI's `start` runs in a child process
 * (loopback, temporary SQLite file, ACS rate limit off) and autocannon posts distinct pre-generated
 * responses to POST /login/saml from 32 connections. Every answer is checked: a sign-in is a 303 to
 * /portal; anything else is counted apart, so refusals cannot pass for throughput.
 */
import autocannon from 'autocannon';
import type { HttpSection } from '../lib/report-types.js';
import { BENCH_AUDIENCE, BENCH_EMAIL, createResponseFactory } from '../lib/responses.js';
import { startServerProcess } from '../lib/server-process.js';
import { computePercentile, roundTo } from '../lib/stats.js';

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
  statusCounts: Record<string, number>;
  signIns: number;
}

/** A header by name, whatever its case on the wire (autocannon passes raw header names). */
function readHeader(headers: Record<string, unknown> | undefined, name: string): string | null {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : String(headers?.[key]);
}

/** Posts each body once (in order, shared across connections) and tallies what came back. */
function fireBodies(url: string, bodies: readonly string[], connections: number, maxSeconds: number, overallRate?: number): Promise<{ result: autocannon.Result; tally: Tally }> {
  let next = 0;
  const tally: Tally = { latencies: [], signInLatencies: [], statusCounts: {}, signIns: 0 };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: bodies.length,
        timeout: 10,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: '/login/saml',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
            setupRequest: (request) => {
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
      tally.latencies.push(Number(args[3]));
      if (Number(args[1]) === 303) tally.signInLatencies.push(Number(args[3]));
    });
    // `amount` takes precedence over `duration` in autocannon, so the time bound is enforced here.
    const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  });
}

/** Runs the section against a fresh server process and returns its numbers. */
export async function runHttpBench(options: HttpOptions): Promise<HttpSection> {
  const server = await startServerProcess({ env: { MOCK_MIMECAST_RATE_LIMIT_ACS: '0', MOCK_MIMECAST_RATE_LIMIT_SIGN_IN: '0' } });
  try {
    const generate = createResponseFactory({ acsUrl: server.replyUrl, audience: BENCH_AUDIENCE, tenantId: server.tenantId, email: BENCH_EMAIL });
    options.log(`http: generating ${options.warmupRequests + options.requests} signed responses (untimed)`);
    const warmup = generate(options.warmupRequests);
    const bodies = generate(options.requests);
    await fireBodies(server.spUrl, warmup, Math.min(4, options.connections), options.maxSeconds);
    options.log(`http: ${options.requests} requests at ${options.connections} connections (at most ${options.maxSeconds} s)`);
    const started = performance.now();
    const { result, tally } = await fireBodies(server.spUrl, bodies, options.connections, options.maxSeconds);
    const seconds = (performance.now() - started) / 1000;
    const done = tally.latencies.length;
    const halfCapacity = await measureAtHalfCapacity(server.spUrl, generate, tally.signIns / seconds, options);
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
      },
      allAnswersP99Ms: roundTo(computePercentile(tally.latencies, 99), 1),
      statusCounts: tally.statusCounts,
      signIns: tally.signIns,
      errors: result.errors,
      timeouts: result.timeouts,
      halfCapacity,
    };
  } finally {
    await server.stop();
  }
}

/** Runs `connections` connections at half the measured sign-in rate for about 6 s and reports the latency. */
async function measureAtHalfCapacity(url: string, generate: (n: number) => string[], capacity: number, options: HttpOptions): Promise<HttpSection['halfCapacity']> {
  const offered = Math.floor(capacity / 2);
  if (offered < 1) return null;
  const bodies = generate(Math.min(600, offered * 6));
  options.log(`http: ${bodies.length} requests at ${options.connections} connections, offered ${offered}/s (half the saturated rate)`);
  const { tally } = await fireBodies(url, bodies, options.connections, options.maxSeconds, offered);
  return {
    offeredPerSecond: offered,
    signIns: tally.signIns,
    p50: roundTo(computePercentile(tally.signInLatencies, 50), 1),
    p99: roundTo(computePercentile(tally.signInLatencies, 99), 1),
  };
}
