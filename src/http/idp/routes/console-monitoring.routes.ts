/**
 * Identity › Monitoring & health › Sign-in logs: every sign-in attempt at the tenant, newest first,
 * with the Request Id and Correlation Id Entra's error page showed for it.
 */
import { Router } from 'express';
import { listSignInLogs } from '../../../core/idp/sign-in-log.js';
import { loadConsoleTenant, renderConsolePage } from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** Mounts the Sign-in logs page (under /admin). */
export function createConsoleMonitoringRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  router.get('/:tenantId/sign-in-logs', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    renderConsolePage(
      res,
      deps,
      'sign-in-logs.njk',
      { tenant },
      { section: 'sign-in-logs', entries: await listSignInLogs(deps.ctx, tenant.tenantId) },
    );
  });
  return router;
}
