/**
 * The schedule behind "Monitor Metadata URL": one round of checks every interval, never two at once,
 * logged, and the event list kept within retention. The checks themselves are core/sp/metadata-monitor.
 */
import type { Logger } from 'pino';
import type { SpContext } from '../core/sp/context.js';
import { type MetadataCheckError, type MetadataCheckResult, runMetadataChecks } from '../core/sp/metadata-monitor.js';

/** Per account, the newest events kept: years of weekly rollovers, or days of a URL failing every 5 minutes. */
export const MAX_METADATA_EVENTS_PER_ACCOUNT = 1000;

export interface MetadataMonitorOptions {
  intervalMs: number;
  logger: Logger;
  /** Events older than this many days are removed after each round (the trace retention). */
  maxAgeDays: number;
}

export interface MetadataMonitor {
  /** Runs a round now, after the one in progress if any; resolves with its results. */
  runNow(): Promise<(MetadataCheckResult | MetadataCheckError)[]>;
  /** Stops the schedule and waits for a round in progress to end. Safe to call twice. */
  stop(): Promise<void>;
}

function logResults(logger: Logger, results: (MetadataCheckResult | MetadataCheckError)[]): void {
  for (const result of results) {
    if (result.outcome === 'changed') {
      logger.info(
        { accountCode: result.accountCode, changes: result.events.map((e) => ({ kind: e.kind, thumbprint: e.thumbprint })) },
        'metadata monitor: profile updated',
      );
    } else if (result.outcome === 'failed') {
      logger.warn({ accountCode: result.accountCode, code: result.events[0]?.code }, 'metadata monitor: fetch failed, profile unchanged');
    } else if (result.outcome === 'error') {
      logger.error({ accountCode: result.accountCode, err: result.error }, 'metadata monitor: check could not be recorded');
    }
  }
}

/**
 * Starts checking every `intervalMs` (the first round one interval after start: the harness has just
 * imported or loaded the profiles). The timer does not keep the process alive.
 */
export function startMetadataMonitor(ctx: SpContext, options: MetadataMonitorOptions): MetadataMonitor {
  const { logger } = options;
  let running: Promise<(MetadataCheckResult | MetadataCheckError)[]> | null = null;
  let stopped = false;

  const runRound = async (): Promise<(MetadataCheckResult | MetadataCheckError)[]> => {
    const results = await runMetadataChecks(ctx);
    logResults(logger, results);
    const olderThan = new Date(ctx.clock.now().getTime() - options.maxAgeDays * 86_400_000);
    await ctx.stores.metadataEvents.prune({ maxPerAccount: MAX_METADATA_EVENTS_PER_ACCOUNT, olderThan });
    return results;
  };

  const startRound = (): Promise<(MetadataCheckResult | MetadataCheckError)[]> => {
    const round = runRound().finally(() => {
      if (running === round) running = null;
    });
    running = round;
    return round;
  };

  const timer = setInterval(() => {
    // A round slower than the interval (several slow IdPs) is not stacked on: the next tick tries again.
    if (running !== null || stopped) return;
    startRound().catch((error: unknown) => logger.error({ err: error }, 'metadata monitor: round failed'));
  }, options.intervalMs);
  timer.unref();

  return {
    async runNow() {
      // A loop, not an if: two callers waiting on the same round must not both start the next one.
      while (running !== null) await running.catch(() => undefined);
      return startRound();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running !== null) await running.catch(() => undefined);
    },
  };
}
