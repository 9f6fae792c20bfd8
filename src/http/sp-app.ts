import express from 'express';
import type session from 'express-session';
import { pino, type Logger } from 'pino';
import type { SpContext } from '../core/sp/context.js';
import { createAccessLogMiddleware } from './middleware/access-log.middleware.js';
import { createConsoleTokenGuard, type AdminTokenPolicy } from './middleware/admin-token.middleware.js';
import { createErrorHandler, createNotFoundHandler } from './middleware/error.middleware.js';
import { createRequestIdMiddleware } from './middleware/request-id.middleware.js';
import { createSecurityHeadersMiddleware } from './middleware/security-headers.middleware.js';
import { createSessionMiddleware } from './middleware/session.middleware.js';
import { createViewEnvironment, STATIC_DIR } from './render.js';
import { createAcsRouter } from './routes/acs.routes.js';
import { createApiRouter } from './routes/api.routes.js';
import { createHomeRouter } from './routes/home.routes.js';
import { createLandingRouter } from './routes/landing.routes.js';
import type { RouteDeps } from './routes/route-deps.js';
import { createSignInRouter } from './routes/sign-in.routes.js';
import { createTracesRouter } from './routes/traces.routes.js';

/** Everything the SP app needs; the caller (server, CLI, tests) builds it. */
export interface SpAppDeps {
  ctx: SpContext;
  /** Never express-session's MemoryStore: it leaks and is not shared between replicas. */
  sessionStore: session.Store;
  sessionSecret: string;
  adminToken: string | null;
  /** True when the SP listens beyond loopback: the API and the console then need the admin token. */
  requireAdminToken: boolean;
  /** Secure cookies: set when browsers reach the SP over https. */
  secureCookies?: boolean;
  logger?: Logger;
}

/**
 * Builds the mock Mimecast SP as an Express app: the sign-in pages, the ACS, the landing pages, the
 * SSO log and the JSON API. It does not listen; src/server.ts and the tests do. Every app gets its
 * own view environment and middleware instances, so two apps in one process share nothing.
 */
export function createSpApp(deps: SpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Off unless a deployment says otherwise: X-Forwarded-* from an untrusted client must not count.
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  const logger = deps.logger ?? pino({ level: 'silent' });
  const views = createViewEnvironment();
  const tokenPolicy: AdminTokenPolicy = { required: deps.requireAdminToken, token: deps.adminToken };
  const routeDeps: RouteDeps = { ctx: deps.ctx, views, logger, consoleGuard: createConsoleTokenGuard(tokenPolicy) };

  app.use(createRequestIdMiddleware(deps.ctx.ids));
  app.use(createAccessLogMiddleware(logger));
  app.use(createSecurityHeadersMiddleware());
  app.use('/static', express.static(STATIC_DIR, { index: false, redirect: false, maxAge: '1h' }));
  app.use(createSessionMiddleware({ store: deps.sessionStore, secret: deps.sessionSecret, secureCookies: deps.secureCookies ?? false }));

  app.use('/api', createApiRouter(routeDeps, tokenPolicy));
  app.use(createHomeRouter(routeDeps));
  app.use(createSignInRouter(routeDeps));
  app.use(createAcsRouter(routeDeps));
  app.use(createLandingRouter(routeDeps));
  app.use(createTracesRouter(routeDeps));

  app.use(createNotFoundHandler());
  app.use(createErrorHandler(views, logger));
  return app;
}
