/**
 * createIdpApp: the mock Entra ID as an Express app. It does not listen; the server and the tests do.
 */

import express, { type ErrorRequestHandler } from 'express';
import type session from 'express-session';
import type nunjucks from 'nunjucks';
import { type Logger, pino } from 'pino';
import { AppError } from '../../core/errors.js';
import type { IdpContext } from '../../core/idp/idp-context.js';
import { createAccessLogMiddleware } from '../middleware/access-log.middleware.js';
import { type AdminTokenPolicy, createApiTokenGuard, createConsoleTokenGuard } from '../middleware/admin-token.middleware.js';
import { classifyError, isJsonRequest } from '../middleware/error.middleware.js';
import { createHostGuard } from '../middleware/host-guard.middleware.js';
import { createRequestIdMiddleware } from '../middleware/request-id.middleware.js';
import { createSecurityHeadersMiddleware } from '../middleware/security-headers.middleware.js';
import { listRoutes } from '../route-inventory.js';
import { createIdpSessionMiddleware } from './idp-session.js';
import { createIdpViewEnvironment, IDP_STATIC_DIR, renderEntraErrorPage, renderIdpPage } from './idp-views.js';
import { createConsoleRouter } from './routes/console.routes.js';
import { createIdpApiRouter } from './routes/idp-api.routes.js';
import type { IdpRouteDeps } from './routes/idp-route-deps.js';
import { createLoginRouter } from './routes/login.routes.js';
import { createLogoutRouter } from './routes/logout.routes.js';
import { createMetadataRouter } from './routes/metadata.routes.js';
import { createPortalRouter } from './routes/portal.routes.js';
import { createSaml2Router } from './routes/saml2.routes.js';

/** Everything the IdP app needs; the caller builds it. */
export interface IdpAppDeps {
  ctx: IdpContext;
  /** Never express-session's MemoryStore. */
  sessionStore: session.Store;
  sessionSecret: string;
  logger?: Logger;
  /**
   * The same setting as the SP's (config `adminToken`). When set, the admin API, the admin center
   * and its tenant list need it on every request, whatever the bind address, Host or forwarding
   * headers; when null, they answer loopback socket peers only. Sign-in, logout, metadata and My
   * Apps never need it.
   */
  adminToken?: string | null;
  /** True when the IdP listens beyond loopback: building it without an admin token then fails. */
  requireAdminToken?: boolean;
  secureCookies?: boolean;
}

/** A refusal by the admin token guard: the console's page (with its token form), not Entra's sign-in error. */
function isAdminTokenRefusal(error: AppError): boolean {
  return error.code === 'ADMIN_TOKEN_REQUIRED' || error.code === 'ADMIN_TOKEN_INVALID' || error.code === 'ADMIN_LOOPBACK_ONLY';
}

/** Browsers get Entra's error page, the API gets `{error, message, hint}`; nothing a client sends gives a 5xx. */
function createIdpErrorHandler(deps: IdpRouteDeps): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = classifyError(err);
    const error = known ?? new AppError('INTERNAL');
    if (known === null) deps.logger.error({ err, requestId: res.locals.requestId, path: req.path }, 'unhandled error');
    if (isJsonRequest(req)) {
      res.status(error.status).json(error.toJSON());
      return;
    }
    const path = req.originalUrl.split('?')[0] ?? '';
    if (path === '/admin' || path.startsWith('/admin/') || isAdminTokenRefusal(error)) {
      // The token form posts back to this path; anything that could leave the origin (//host) is replaced.
      const formPath = /^\/(?![/\\])/.test(path) ? path : '/';
      renderIdpPage(res, deps.views, 'console-error.njk', { error: error.toJSON(), status: error.status, path: formPath }, error.status);
      return;
    }
    renderEntraErrorPage(res, deps.views, deps.ctx, error);
  };
}

function buildHomeHandler(views: nunjucks.Environment, ctx: IdpContext): express.RequestHandler {
  return async (_req, res) => {
    renderIdpPage(res, views, 'home.njk', { tenants: await ctx.stores.tenants.list() });
  };
}

/**
 * Builds the mock Entra: /<tenant>/saml2 (sign-in and logout), the federation metadata, the
 * sign-in pages, My Apps and its Sign out, "Test this application", the admin center under /admin
 * and the JSON API under /api.
 * Each app gets its own views and middleware, so two apps in one process share nothing.
 */
export function createIdpApp(deps: IdpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  const logger = deps.logger ?? pino({ level: 'silent' });
  const views = createIdpViewEnvironment();
  const routeDeps: IdpRouteDeps = { ctx: deps.ctx, views, logger };
  const tokenPolicy: AdminTokenPolicy = { required: deps.requireAdminToken ?? false, token: deps.adminToken ?? null };
  const consoleGuard = createConsoleTokenGuard(tokenPolicy);

  app.use(createRequestIdMiddleware(deps.ctx.ids));
  app.use(createAccessLogMiddleware(logger));
  app.use(createSecurityHeadersMiddleware());
  // On loopback without a token, a hostile page could rebind its own name to 127.0.0.1 and drive the
  // API; only the names this IdP is reached by are answered.
  if (!deps.requireAdminToken) app.use(createHostGuard({ allowedHostNames: [new URL(deps.ctx.settings.idpBaseUrl).hostname] }));
  app.use('/static', express.static(IDP_STATIC_DIR, { index: false, redirect: false, maxAge: '1h' }));
  // Liveness before the token guard, as the SP's: a probe has no token and learns nothing.
  const healthRouter = express.Router();
  healthRouter.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/api', healthRouter);
  const apiRouter = createIdpApiRouter(routeDeps, [healthRouter]);
  app.use('/api', createApiTokenGuard(tokenPolicy), apiRouter);
  // What /api answers, read from the routers: the contract test holds it to openapi-idp.yaml.
  app.locals.apiRoutes = [healthRouter, apiRouter].flatMap(listRoutes).map((route) => ({ ...route, path: `/api${route.path}` }));
  app.use(createIdpSessionMiddleware({ store: deps.sessionStore, secret: deps.sessionSecret, secureCookies: deps.secureCookies ?? false }));
  // The tenant list is the admin center's front door, so it sits behind the same guard.
  app.get('/', consoleGuard, buildHomeHandler(views, deps.ctx));
  app.use('/admin', createConsoleRouter(routeDeps, consoleGuard));
  app.use(createMetadataRouter(routeDeps));
  app.use(createSaml2Router(routeDeps));
  app.use(createLoginRouter(routeDeps));
  app.use(createPortalRouter(routeDeps));
  app.use(createLogoutRouter(routeDeps));
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND')));
  app.use(createIdpErrorHandler(routeDeps));
  return app;
}
