import type { CliFlags } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { startHarness } from '../runtime/harness.js';
import { isClusterWorker, isGuidePrinter, readWorkerCount, runWorkers, signalWorkerReady } from '../runtime/workers.js';
import { createCliLogger } from './pretty-log.js';
import { buildStartGuide } from './start-guide.js';

/**
 * `mock-mimecast start`: the SP (and, unless --no-idp, the mock Entra) on the configured ports, the
 * walk-through seeded on first start, and a printed guide to what to click.
 */
export async function runStartCommand(flags: CliFlags, env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig({ argv: flags, env });
  const logger = createCliLogger(config.logLevel);
  const workers = readWorkerCount((flags as { workers?: unknown }).workers);
  if (workers > 1 && !isClusterWorker()) return runWorkers(workers, logger);
  const harness = await startHarness(config, { logger });
  const lines = buildStartGuide(harness);
  if (isGuidePrinter()) process.stdout.write(`${lines.join('\n')}\n\n`);
  signalWorkerReady();

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await harness.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
