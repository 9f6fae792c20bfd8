import { Router } from 'express';
import { AppError } from '../../core/errors.js';
import type { RouteDeps } from './route-deps.js';

/**
 * Probes for load balancers and orchestrators, mounted at /api before the admin token guard: they
 * reveal nothing and a probe has no token. /api/health is liveness (the process answers HTTP);
 * /api/ready is readiness (the database answers a trivial query), 503 NOT_READY otherwise, so a
 * replica whose disk went away is taken out of rotation instead of failing sign-ins.
 */
export function createHealthRouter({ ctx, logger }: Pick<RouteDeps, 'ctx' | 'logger'>): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
    return;
  });

  router.get('/ready', async (_req, res) => {
    try {
      await ctx.stores.ping();
    } catch (error) {
      logger.warn({ err: error }, 'readiness: the database does not answer');
      throw new AppError('NOT_READY');
    }
    res.set('cache-control', 'no-store').json({ status: 'ready' });
    return;
  });

  return router;
}
