import { Router } from 'express';
import { AppError } from '../../core/errors.js';
import { type AdminTokenPolicy, createApiTokenGuard } from '../middleware/admin-token.middleware.js';
import { createJsonOnlyMiddleware, createJsonParser } from '../middleware/body.middleware.js';
import { createNotFoundHandler } from '../middleware/error.middleware.js';
import { createMethodNotAllowedHandler } from '../route-inventory.js';
import { createApiAccountsRouter } from './api-accounts.routes.js';
import { createApiDirectoryRouter } from './api-directory.routes.js';
import { createApiTracesRouter } from './api-traces.routes.js';
import { createMetadataEventsRouter } from './metadata-events.routes.js';
import type { RouteDeps } from './route-deps.js';

/**
 * The JSON API, mounted at /api. Health and the session probe come before the token guard (a load
 * balancer and a signed-in browser need them without the admin token); the guard runs before any
 * body is read, so an anonymous caller cannot make the server parse a megabyte.
 */
export function createApiRouter(deps: RouteDeps, tokenPolicy: AdminTokenPolicy, siblings: readonly Router[] = []): Router {
  const router = Router();

  router.get('/session', (req, res) => {
    const user = req.session.user;
    if (user === undefined) throw new AppError('UNAUTHENTICATED');
    res.json(user);
    return;
  });

  router.use(createApiTokenGuard(tokenPolicy));
  router.use(createJsonOnlyMiddleware());
  router.use(createJsonParser());
  router.use(createApiAccountsRouter(deps));
  router.use(createApiDirectoryRouter(deps));
  router.use(createApiTracesRouter(deps));
  router.use(createMetadataEventsRouter(deps));
  router.use(createMethodNotAllowedHandler(router, ...siblings));
  router.use(createNotFoundHandler());
  return router;
}
