import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/defaults.js';
import { isLoopbackHost } from '../config/load.js';
import { readValidationSettings } from '../config/validation.js';
import { type Clock, systemClock } from '../core/clock.js';
import { type IdGenerator, randomIds } from '../core/ids.js';
import type { SpContext } from '../core/sp/context.js';
import { createNodeSamlGate } from '../core/sp/node-saml-gate.js';
import { createSpApp } from '../http/sp-app.js';
import { createDocumentFetcher } from '../net/fetch-document.js';
import { readSpKeys } from './keys.js';
import { openSpStores, type RuntimeStores } from './stores.js';

export interface SpRuntime {
  ctx: SpContext;
  stores: RuntimeStores;
  app: ReturnType<typeof createSpApp>;
  /** Removes expired pending requests, used assertion ids, sessions, and traces beyond retention. */
  purge(): Promise<void>;
  /** Ends this SP: its node-saml gate drops its instances, then its stores close. Nothing listens on it any more. */
  close(): Promise<void>;
}

/**
 * Builds the SP's context, stores and app from a validated Config; nothing listens yet. With
 * `redisUrl` set, sessions and the pending and replay caches live in Redis (see openSpStores), and
 * this rejects with REDIS_UNAVAILABLE when Redis does not answer.
 */
export async function buildSpRuntime(config: Config, options: { logger: Logger; clock?: Clock; ids?: IdGenerator }): Promise<SpRuntime> {
  const clock = options.clock ?? systemClock;
  const stores = await openSpStores(config, { clock, logger: options.logger });
  if (config.redisUrl && !config.sessionSecret) {
    options.logger.warn(
      'REDIS_URL is set but MOCK_MIMECAST_SESSION_SECRET is not: each replica signs cookies with its own secret, so a session works only on the replica that created it.',
    );
  }
  const ctx: SpContext = {
    stores,
    clock,
    ids: options.ids ?? randomIds,
    settings: {
      publicBaseUrl: config.sp.publicBaseUrl,
      ...readValidationSettings(config.saml),
      pendingRequestTtlMs: config.saml.pendingRequestTtlSeconds * 1000,
      acceptProductionUrls: config.saml.acceptProductionUrls,
      profileApplyDelayMs: config.sp.profileApplyDelaySeconds * 1000,
    },
    keys: readSpKeys(),
    fetchDocument: createDocumentFetcher({
      timeoutMs: config.metadata.fetchTimeoutMs,
      maxBytes: config.metadata.maxBytes,
      allowedHosts: config.metadata.allowedHosts,
    }),
    nodeSamlGate: createNodeSamlGate(),
  };
  const app = createSpApp({
    ctx,
    sessionStore: stores.sessionStore,
    // A per-start secret ends sessions on restart, which is fine for a rehearsal harness.
    sessionSecret: config.sessionSecret ?? randomBytes(32).toString('hex'),
    adminToken: config.adminToken,
    requireAdminToken: !isLoopbackHost(config.sp.host),
    secureCookies: config.sp.publicBaseUrl.startsWith('https:'),
    rateLimits: config.rateLimits,
    logger: options.logger,
  });
  return {
    ctx,
    stores,
    app,
    async purge() {
      const now = clock.now();
      await stores.pending.purgeExpired(now);
      await stores.replay.purgeExpired(now);
      await stores.purgeSessions();
      await stores.traces.prune({
        maxPerAccount: config.traces.maxCount,
        maxAnonymous: config.traces.maxAnonymousCount,
        olderThan: new Date(now.getTime() - config.traces.maxAgeDays * 86_400_000),
      });
    },
    async close() {
      ctx.nodeSamlGate.close();
      await stores.close();
    },
  };
}
