import { pino } from 'pino';
import type { CliFlags } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { buildAccountUrls } from '../core/sp/accounts.js';
import { buildSpRuntime } from '../runtime/sp-runtime.js';
import { SEED, seedSpWalkthrough } from '../runtime/seed.js';
import { listen, type Listening } from '../server.js';

/**
 * `mock-mimecast start`: the SP (and, unless --no-idp, the mock Entra) on the configured ports, the
 * walk-through seeded on first start, and a printed guide to what to click.
 */
export async function runStartCommand(flags: CliFlags, env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig({ argv: flags, env });
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  if (config.redisUrl) {
    // Shared Redis state for several replicas is not in this version; say so rather than appear to use it.
    logger.warn('REDIS_URL is set, but this version keeps sessions, pending requests and used assertions in SQLite; run one replica.');
  }
  const sp = buildSpRuntime(config, { logger });
  const seeded = config.seed ? await seedSpWalkthrough(sp.ctx) : false;
  const servers: Listening[] = [await listen(sp.app, config.sp.host, config.sp.port)];
  const purge = setInterval(() => void sp.purge().catch((error) => logger.warn({ err: error }, 'purge failed')), 60_000);
  purge.unref();

  const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, config.sp.publicBaseUrl);
  const lines = [
    '',
    `mock Mimecast (SP) on ${config.sp.publicBaseUrl}`,
    `  Console:            ${config.sp.publicBaseUrl}/`,
    `  Login to Mimecast:  ${config.sp.publicBaseUrl}/login/saml`,
    `  ACS (Reply URL):    ${urls.localAcsUrl}`,
    seeded ? `  Seeded account ${SEED.accountCode} (eu) for ${SEED.domain}: Identifier ${urls.entraIdentifier}` : '  Using the existing data in the database.',
    config.idp.enabled ? '' : '  Running without the mock Entra (--no-idp): import your tenant\'s App Federation Metadata Url into the profile.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    clearInterval(purge);
    await Promise.all(servers.map((s) => s.close()));
    await sp.stores.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
