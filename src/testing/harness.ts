import type { Config, SeedMode } from '../config/defaults.js';
import { loadConfig } from '../config/load.js';
import { copyPlain, isPlainObject, mergeInto } from '../config/object-paths.js';
import type { Clock } from '../core/clock.js';
import { type Harness, startHarness } from '../runtime/harness.js';
import { TEST_HARNESS_HASH_PARAMS } from '../store/sqlite/password.js';

/** Overrides for an in-process harness; every section is merged over the embedded defaults. */
export type HarnessOverrides = { [K in Exclude<keyof Config, 'seed'>]?: Config[K] extends object ? Partial<Config[K]> : Config[K] } & {
  /** A seed mode; true and false still mean 'ready' and 'none'. */
  seed?: SeedMode | boolean;
};

/** Where a harness in a test suite differs from `mock-mimecast start`: nothing kept, nothing logged, ephemeral loopback ports. */
const TEST_BASE = {
  databasePath: ':memory:',
  logLevel: 'silent',
  sp: { host: '127.0.0.1', port: 0 },
  idp: { host: '127.0.0.1', port: 0 },
};

/**
 * Both apps in-process for automated tests: ephemeral loopback ports, in-memory SQLite, the tutorial
 * seeded (account CUK12A34, B.Simon, the Mimecast app in the mock Entra, metadata imported over HTTP).
 * The overrides are validated by the configuration file's schema: a bad one rejects with AppError
 * `CONFIG_INVALID`, each problem (path, value, why) in `details`. The seeded passwords are hashed at a
 * lower scrypt cost than `mock-mimecast start` uses (test-only). Always `close()` it.
 */
export async function startTestHarness(overrides: HarnessOverrides = {}, options: { clock?: Clock } = {}): Promise<Harness> {
  const given: unknown = overrides;
  let layer: unknown = given;
  if (isPlainObject(given)) {
    const merged: Record<string, unknown> = copyPlain(TEST_BASE);
    mergeInto(merged, given);
    layer = merged;
  }
  // Anything but an object goes to loadConfig as it is, to be refused there like any other problem.
  const config = loadConfig({ env: {}, file: null, overrides: layer as Record<string, unknown> });
  // Test-only passwords: a lower scrypt cost than a started server's (see TEST_HARNESS_HASH_PARAMS).
  return startHarness(config, { passwordHashParams: TEST_HARNESS_HASH_PARAMS, ...(options.clock ? { clock: options.clock } : {}) });
}
