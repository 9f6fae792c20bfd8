import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/defaults.js';
import { isLoopbackHost } from '../config/load.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { IdpContext } from '../core/idp/idp-context.js';
import { type IdGenerator, randomIds } from '../core/ids.js';
import { createIdpApp } from '../http/idp/idp-app.js';
import { createSqliteIdpStores } from '../store/idp/index.js';
import { openDatabase } from '../store/sqlite/database.js';
import type { PasswordHashParams } from '../store/sqlite/password.js';
import { createSeedStateStore, type SeedStateStore } from '../store/sqlite/seed-state.store.js';
import { SqliteSessionStore } from '../store/sqlite/session.store.js';
import { readKeyPair } from './keys.js';

export interface IdpRuntime {
  ctx: IdpContext;
  app: ReturnType<typeof createIdpApp>;
  /** What the walk-through seed wrote into the mock Entra, on the mock Entra's own connection. */
  seedState: SeedStateStore;
  close(): Promise<void>;
}

/**
 * Builds the mock Entra from a validated Config. It keeps its own tables (idp_*) in the configured
 * SQLite file through its own connection: the two roles share storage, never code paths.
 */
export function buildIdpRuntime(
  config: Config,
  options: { logger: Logger; clock?: Clock; ids?: IdGenerator; passwordHashParams?: PasswordHashParams },
): IdpRuntime {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(config.databasePath);
  const signing = readKeyPair('idp-signing-1');
  const ctx: IdpContext = {
    stores: createSqliteIdpStores(db, options.passwordHashParams ? { passwordHashParams: options.passwordHashParams } : {}),
    clock,
    ids: options.ids ?? randomIds,
    keys: { seedAppCertificate: signing },
    settings: { idpBaseUrl: config.idp.publicBaseUrl, maxSamlBytes: config.saml.maxSamlBytes },
  };
  const app = createIdpApp({
    ctx,
    sessionStore: new SqliteSessionStore(db, { clock }),
    sessionSecret: config.sessionSecret ?? randomBytes(32).toString('hex'),
    logger: options.logger,
    adminToken: config.adminToken,
    requireAdminToken: !isLoopbackHost(config.idp.host),
    secureCookies: config.idp.publicBaseUrl.startsWith('https:'),
  });
  return {
    ctx,
    app,
    seedState: createSeedStateStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
