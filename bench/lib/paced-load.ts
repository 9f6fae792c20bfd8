/**
 * Open-loop load at a fixed rate over a fixed pool of keep-alive connections (undici's Pool), in the
 * manner of wrk2: request i is due at start + i / rate whether or not earlier ones have answered, and
 * its latency is counted from when it was due, so a server that falls behind is charged for every
 * request kept waiting (no coordinated omission). When every connection is busy a due request waits
 * in the pool's queue, and that wait is part of its latency too.
 *
 * autocannon's rate option is not used for this: it gives each connection a quota per second that it
 * spends at the top of the second, so "85/s" arrives as one burst of 85 and measures the burst.
 */
import { Pool } from 'undici';

export interface PacedLoadOptions {
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** One request per body, in order. */
  bodies: readonly string[];
  perSecond: number;
  connections: number;
  /** Stops sending after this long; requests already sent are still awaited (up to 10 s). */
  maxSeconds: number;
  /** True when the answer is what the run is measuring (a sign-in), false for anything else. */
  isSuccess(status: number, location: string | null): boolean;
}

export interface PacedLoadResult {
  sent: number;
  /** Latency from the due time of each successful answer, in ms. */
  successLatencies: number[];
  statusCounts: Record<string, number>;
  errors: number;
  /** How far behind schedule the sender itself ever was, in ms (the client's own lag, not the server's). */
  maxSendLagMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Sends every body at the given rate and waits for the answers. */
export async function runPacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const result: PacedLoadResult = { sent: 0, successLatencies: [], statusCounts: {}, errors: 0, maxSendLagMs: 0 };
  const intervalMs = 1000 / options.perSecond;
  const start = performance.now() + 20;
  const stopAt = start + options.maxSeconds * 1000;
  const inFlight: Promise<void>[] = [];

  const send = async (body: string, due: number): Promise<void> => {
    try {
      const answer = await pool.request({ method: 'POST', path: options.path, headers: options.headers, body });
      await answer.body.dump();
      const latency = performance.now() - due;
      const status = answer.statusCode;
      result.statusCounts[status] = (result.statusCounts[status] ?? 0) + 1;
      const location = answer.headers.location;
      if (options.isSuccess(status, typeof location === 'string' ? location : null)) result.successLatencies.push(latency);
    } catch {
      result.errors += 1;
    }
  };

  try {
    for (let i = 0; i < options.bodies.length; i++) {
      const due = start + i * intervalMs;
      if (due > stopAt) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      result.maxSendLagMs = Math.max(result.maxSendLagMs, performance.now() - due);
      inFlight.push(send(options.bodies[i] as string, due));
      result.sent += 1;
    }
    // Answers still missing after 10 s are left to the pool's destroy (counted as errors); the timer
    // is cleared so a finished run does not hold the process open.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(inFlight), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  } finally {
    await pool.destroy();
  }
  return result;
}
