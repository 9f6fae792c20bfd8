import { type Logger, pino } from 'pino';
import type { Config, SeedMode } from '../config/defaults.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Finding } from '../core/saml/types.js';
import { buildAccountUrls } from '../core/sp/accounts.js';
import { importProfileMetadata } from '../core/sp/profile-import.js';
import { type Listening, listen } from '../server.js';
import type { PasswordHashParams } from '../store/sqlite/password.js';
import { buildIdpRuntime, type IdpRuntime } from './idp-runtime.js';
import { explainListenError } from './listen-errors.js';
import { type MetadataMonitor, startMetadataMonitor } from './metadata-monitor.js';
import { followSeededProfile, recordSeededProfile, SEED, seedSpWalkthrough } from './seed.js';
import { type IdpSeedInfo, seedIdpBeforeTutorial, seedIdpWalkthrough } from './seed-idp.js';
import type { KeptEdit } from './seed-reconcile.js';
import { buildSpRuntime, type SpRuntime } from './sp-runtime.js';
import { ensureTlsMaterial, type TlsMaterial } from './tls.js';

export interface Harness {
  /** The configuration as running: public URLs filled in for port 0. */
  config: Config;
  sp: SpRuntime;
  idp: IdpRuntime | null;
  spUrl: string;
  idpUrl: string | null;
  /** What the walk-through seed set up, when it ran or was found. */
  walkthrough: {
    /** The configured seed mode. */
    mode: SeedMode;
    /** 'before-tutorial' on first start: the mock Entra tenant it made (B.Simon in it, no app). */
    beforeTutorialTenantId: string | null;
    spSeeded: boolean;
    idp: IdpSeedInfo | null;
    importFindings: Finding[] | null;
    /** Seeded fields a person edited that this start's URLs would change: kept, and said in the banner. */
    keptEdits: KeptEdit[];
  };
  /** "Monitor Metadata URL" on its schedule; `runNow()` checks at once. */
  monitor: MetadataMonitor;
  /** The CA and server certificate the SP serves HTTPS with, when tls.enabled. */
  tls: TlsMaterial | null;
  /**
   * Graceful stop: the monitor and upkeep timers end, both ports stop accepting, requests in flight
   * finish (up to `graceMs`, default DEFAULT_DRAIN_MS, then their connections are cut), and only then
   * are the databases closed. Calling it again returns the same promise.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface HarnessOptions {
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** scrypt cost for the mock Entra's seeded passwords; the in-process test harness lowers it. */
  passwordHashParams?: PasswordHashParams;
}

/**
 * Starts the SP and (unless disabled) the mock Entra, seeds the tutorial on first start, and imports
 * the mock Entra's App Federation Metadata Url into the Mimecast profile over real HTTP — the same
 * step a person does with "Metadata URL › Import". Port 0 gets an ephemeral port and a public URL to
 * match, which is how tests and users' own suites run it in-process.
 */
export async function startHarness(input: Config, options: HarnessOptions = {}): Promise<Harness> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const tls = input.tls.enabled ? await ensureTlsMaterial(input.tls.dir) : null;
  if (tls?.created.ca)
    logger.warn({ ca: tls.paths.caCert }, 'created a local CA for HTTPS; trust it in browsers (see mock-mimecast certs --ca)');
  const spPort = await listen(null, input.sp.host, input.sp.port, { tls }).catch((error: unknown) => {
    throw explainListenError(error, 'sp', input.sp.host, input.sp.port);
  });
  const idpPort = input.idp.enabled
    ? await listen(null, input.idp.host, input.idp.port).catch(async (error: unknown) => {
        await spPort.close();
        throw explainListenError(error, 'idp', input.idp.host, input.idp.port);
      })
    : null;
  const open: Listening[] = [spPort, ...(idpPort ? [idpPort] : [])];
  try {
    const config: Config = {
      ...input,
      sp: { ...input.sp, publicBaseUrl: input.sp.port === 0 ? spPort.url : input.sp.publicBaseUrl },
      idp: { ...input.idp, publicBaseUrl: idpPort && input.idp.port === 0 ? idpPort.url : input.idp.publicBaseUrl },
    };
    const runtimeOptions = { logger, ...(options.clock ? { clock: options.clock } : {}), ...(options.ids ? { ids: options.ids } : {}) };
    const sp = await buildSpRuntime(config, runtimeOptions);
    const idp = idpPort
      ? buildIdpRuntime(config, {
          ...runtimeOptions,
          ...(options.passwordHashParams ? { passwordHashParams: options.passwordHashParams } : {}),
        })
      : null;

    const mode = config.seed;
    const spSeeded = mode === 'none' ? false : await seedSpWalkthrough(sp.ctx, sp.stores.seedState, mode);
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, config.sp.publicBaseUrl);
    // Before the mock Entra answers: nobody sees (or writes into) a half-made seed.
    const idpSeed = idp && mode === 'ready' ? await seedIdpWalkthrough(idp.ctx, urls, idp.seedState) : null;
    const beforeTutorialTenantId = idp && mode === 'before-tutorial' ? await seedIdpBeforeTutorial(idp.ctx, idp.seedState) : null;
    if (idp && idpPort) idpPort.attach(idp.app);
    let importFindings: Finding[] | null = null;
    const keptEdits: KeptEdit[] = [...(idpSeed?.keptEdits ?? [])];
    const profile = await sp.stores.profiles.get(SEED.accountCode);
    if (idpSeed && profile && profile.idpCertificates.length === 0) {
      const imported = await importProfileMetadata(sp.ctx, SEED.accountCode, { url: idpSeed.appFederationMetadataUrl });
      importFindings = imported.findings;
      await recordSeededProfile(sp.ctx, sp.stores.seedState);
    } else if (idpSeed && profile) {
      const wanted = {
        metadataUrl: idpSeed.appFederationMetadataUrl,
        issuerUrl: idpSeed.issuerUrl,
        loginUrl: idpSeed.loginUrl,
        logoutUrl: idpSeed.logoutUrl,
      };
      keptEdits.push(...(await followSeededProfile(sp.ctx, sp.stores.seedState, wanted)));
    }
    // Only now: until the seed and the import are done the SP answers 503 STARTING, so /api/ready
    // (and a load balancer) never sees a profile that is not filled in yet.
    spPort.attach(sp.app);
    const purge = setInterval(() => void sp.purge().catch((error) => logger.warn({ err: error }, 'purge failed')), 60_000);
    purge.unref();
    const monitor = startMetadataMonitor(sp.ctx, {
      intervalMs: config.metadata.monitorIntervalSeconds * 1000,
      logger,
      maxAgeDays: config.traces.maxAgeDays,
    });
    let closing: Promise<void> | null = null;
    const shutDown = async (graceMs: number | undefined): Promise<void> => {
      clearInterval(purge);
      // Side by side: a monitor round waiting on a slow IdP must not eat into the requests' grace.
      await Promise.all([monitor.stop(), ...open.map((l) => l.close(graceMs === undefined ? {} : { graceMs }))]);
      // Only now: a request still in flight above may write a trace or consume an assertion.
      await sp.close();
      await idp?.close();
    };
    return {
      config,
      sp,
      idp,
      spUrl: config.sp.publicBaseUrl,
      idpUrl: idp ? config.idp.publicBaseUrl : null,
      walkthrough: { mode, beforeTutorialTenantId, spSeeded, idp: idpSeed, importFindings, keptEdits },
      monitor,
      tls,
      close(closeOptions = {}) {
        closing ??= shutDown(closeOptions.graceMs);
        return closing;
      },
    };
  } catch (error) {
    await Promise.all(open.map((l) => l.close()));
    throw error;
  }
}
