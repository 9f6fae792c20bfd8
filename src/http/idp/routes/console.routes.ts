/**
 * The mock Entra admin center under /admin: Enterprise applications (gallery, Properties, Users and
 * groups, Single sign-on with SAML) and Users. Behind the admin token guard (as the API is), and
 * behind a CSRF token on every form.
 */
import { type RequestHandler, Router } from 'express';
import { createConsoleCsrfProtection } from '../console-csrf.middleware.js';
import { createConsoleAppUsersRouter } from './console-app-users.routes.js';
import { createConsoleAppsRouter } from './console-apps.routes.js';
import { createConsoleCertificatesRouter } from './console-certificates.routes.js';
import { createConsoleClaimsRouter } from './console-claims.routes.js';
import { createConsoleMonitoringRouter } from './console-monitoring.routes.js';
import { createConsoleSamlRouter } from './console-saml.routes.js';
import { createConsoleTenantsRouter } from './console-tenants.routes.js';
import { createConsoleUsersRouter } from './console-users.routes.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/**
 * The console's router; the caller mounts it on /admin after the session middleware, with the
 * admin token guard it also puts in front of the tenant list.
 */
export function createConsoleRouter(deps: IdpRouteDeps, tokenGuard: RequestHandler): Router {
  const router = Router();
  router.use(tokenGuard, createConsoleCsrfProtection());
  // Before the tenant-scoped routers: /tenants is not a tenant id.
  router.use(createConsoleTenantsRouter(deps));
  router.use(createConsoleAppsRouter(deps));
  router.use(createConsoleAppUsersRouter(deps));
  router.use(createConsoleSamlRouter(deps));
  router.use(createConsoleClaimsRouter(deps));
  router.use(createConsoleCertificatesRouter(deps));
  router.use(createConsoleUsersRouter(deps));
  router.use(createConsoleMonitoringRouter(deps));
  return router;
}
