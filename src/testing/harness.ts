import type { Config } from '../config/defaults.js';
import { loadConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { type Harness, startHarness } from '../runtime/harness.js';

/** Overrides for an in-process harness; every section is merged over the embedded defaults. */
export type HarnessOverrides = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };

/**
 * Both apps in-process for automated tests: ephemeral loopback ports, in-memory SQLite, the tutorial
 * seeded (account CUK12A34, B.Simon, the Mimecast app in the mock Entra, metadata imported over HTTP).
 * Always `close()` it.
 */
export function startTestHarness(overrides: HarnessOverrides = {}, options: { clock?: Clock } = {}): Promise<Harness> {
  const base = loadConfig({ env: {}, file: null });
  const config: Config = {
    ...base,
    databasePath: ':memory:',
    logLevel: 'silent',
    ...(overrides as Partial<Config>),
    sp: { ...base.sp, host: '127.0.0.1', port: 0, ...overrides.sp },
    idp: { ...base.idp, host: '127.0.0.1', port: 0, ...overrides.idp },
    saml: { ...base.saml, ...overrides.saml },
    metadata: { ...base.metadata, ...overrides.metadata },
    traces: { ...base.traces, ...overrides.traces },
    tls: { ...base.tls, ...overrides.tls },
  };
  return startHarness(config, options.clock ? { clock: options.clock } : {});
}
