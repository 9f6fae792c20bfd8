/**
 * The mock Entra admin center under /admin: Enterprise applications (gallery, Properties, Users and
 * groups, Single sign-on with SAML) and Users. Behind the admin token when the IdP listens beyond
 * loopback (as the API is), and behind a CSRF token on every form.
 */
import { Router } from 'express';
import { type AdminTokenPolicy, createConsoleTokenGuard } from '../../middleware/admin-token.middleware.js';
import { createConsoleCsrfProtection } from '../console-csrf.middleware.js';
import { createConsoleAppUsersRouter } from './console-app-users.routes.js';
import { createConsoleAppsRouter } from './console-apps.routes.js';
import { createConsoleCertificatesRouter } from './console-certificates.routes.js';
import { createConsoleSamlRouter } from './console-saml.routes.js';
import { createConsoleUsersRouter } from './console-users.routes.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** The console's router; the caller mounts it on /admin after the session middleware. */
export function createConsoleRouter(deps: IdpRouteDeps, policy: AdminTokenPolicy): Router {
  const router = Router();
  router.use(createConsoleTokenGuard(policy), createConsoleCsrfProtection());
  router.use(createConsoleAppsRouter(deps));
  router.use(createConsoleAppUsersRouter(deps));
  router.use(createConsoleSamlRouter(deps));
  router.use(createConsoleCertificatesRouter(deps));
  router.use(createConsoleUsersRouter(deps));
  return router;
}
