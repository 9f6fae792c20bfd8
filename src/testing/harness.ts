import type { Config } from '../config/defaults.js';
import { loadConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { type Harness, startHarness } from '../runtime/harness.js';
import { TEST_HARNESS_HASH_PARAMS } from '../store/sqlite/password.js';

/** Overrides for an in-process harness; every section is merged over the embedded defaults. */
export type HarnessOverrides = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };

/**
 * Both apps in-process for automated tests: ephemeral loopback ports, in-memory SQLite, the tutorial
 * seeded (account CUK12A34, B.Simon, the Mimecast app in the mock Entra, metadata imported over HTTP).
 * The seeded passwords are hashed at a lower scrypt cost than `mock-mimecast start` uses (test-only).
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
  // Test-only passwords: a lower scrypt cost than a started server's (see TEST_HARNESS_HASH_PARAMS).
  return startHarness(config, { passwordHashParams: TEST_HARNESS_HASH_PARAMS, ...(options.clock ? { clock: options.clock } : {}) });
}
