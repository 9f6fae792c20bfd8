import { pino, type Logger } from 'pino';
import type { Config } from '../config/defaults.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import { buildAccountUrls } from '../core/sp/accounts.js';
import { importProfileMetadata } from '../core/sp/profile-import.js';
import type { Finding } from '../core/saml/types.js';
import { listen, type Listening } from '../server.js';
import { buildIdpRuntime, type IdpRuntime } from './idp-runtime.js';
import { type IdpSeedInfo, seedIdpWalkthrough } from './seed-idp.js';
import { SEED, seedSpWalkthrough } from './seed.js';
import { buildSpRuntime, type SpRuntime } from './sp-runtime.js';

export interface Harness {
  /** The configuration as running: public URLs filled in for port 0. */
  config: Config;
  sp: SpRuntime;
  idp: IdpRuntime | null;
  spUrl: string;
  idpUrl: string | null;
  /** What the walk-through seed set up, when it ran or was found. */
  walkthrough: { spSeeded: boolean; idp: IdpSeedInfo | null; importFindings: Finding[] | null };
  close(): Promise<void>;
}

export interface HarnessOptions {
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
}

/**
 * Starts the SP and (unless disabled) the mock Entra, seeds the tutorial on first start, and imports
 * the mock Entra's App Federation Metadata Url into the Mimecast profile over real HTTP — the same
 * step a person does with "Metadata URL › Import". Port 0 gets an ephemeral port and a public URL to
 * match, which is how tests and users' own suites run it in-process.
 */
export async function startHarness(input: Config, options: HarnessOptions = {}): Promise<Harness> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const spPort = await listen(null, input.sp.host, input.sp.port);
  const idpPort = input.idp.enabled ? await listen(null, input.idp.host, input.idp.port) : null;
  const open: Listening[] = [spPort, ...(idpPort ? [idpPort] : [])];
  try {
    const config: Config = {
      ...input,
      sp: { ...input.sp, publicBaseUrl: input.sp.port === 0 ? spPort.url : input.sp.publicBaseUrl },
      idp: { ...input.idp, publicBaseUrl: idpPort && input.idp.port === 0 ? idpPort.url : input.idp.publicBaseUrl },
    };
    const runtimeOptions = { logger, ...(options.clock ? { clock: options.clock } : {}), ...(options.ids ? { ids: options.ids } : {}) };
    const sp = buildSpRuntime(config, runtimeOptions);
    const idp = idpPort ? buildIdpRuntime(config, runtimeOptions) : null;
    spPort.attach(sp.app);
    if (idp && idpPort) idpPort.attach(idp.app);

    const spSeeded = config.seed ? await seedSpWalkthrough(sp.ctx) : false;
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, config.sp.publicBaseUrl);
    const idpSeed = idp && config.seed ? await seedIdpWalkthrough(idp.ctx, urls) : null;
    let importFindings: Finding[] | null = null;
    const profile = await sp.stores.profiles.get(SEED.accountCode);
    if (idpSeed && profile && profile.idpCertificates.length === 0) {
      const imported = await importProfileMetadata(sp.ctx, SEED.accountCode, { url: idpSeed.appFederationMetadataUrl });
      importFindings = imported.findings;
    }
    const purge = setInterval(() => void sp.purge().catch((error) => logger.warn({ err: error }, 'purge failed')), 60_000);
    purge.unref();
    return {
      config,
      sp,
      idp,
      spUrl: config.sp.publicBaseUrl,
      idpUrl: idp ? config.idp.publicBaseUrl : null,
      walkthrough: { spSeeded, idp: idpSeed, importFindings },
      async close() {
        clearInterval(purge);
        await Promise.all(open.map((l) => l.close()));
        await sp.stores.close();
        await idp?.close();
      },
    };
  } catch (error) {
    await Promise.all(open.map((l) => l.close()));
    throw error;
  }
}
