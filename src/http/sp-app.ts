import express from 'express';
import type session from 'express-session';
import { type Logger, pino } from 'pino';
import { defaults } from '../config/defaults.js';
import { foldAsciiCase } from '../core/saml/ascii-case.js';
import type { SpContext } from '../core/sp/context.js';
import { REGION_HOSTS } from '../core/sp/regions.js';
import { createAccessLogMiddleware } from './middleware/access-log.middleware.js';
import { type AdminTokenPolicy, createConsoleTokenGuard } from './middleware/admin-token.middleware.js';
import { createConsoleFormParser } from './middleware/body.middleware.js';
import { createCsrfProtection } from './middleware/csrf.middleware.js';
import { createErrorHandler, createNotFoundHandler } from './middleware/error.middleware.js';
import { createHostGuard } from './middleware/host-guard.middleware.js';
import { createRateLimiter, type RateLimitSettings } from './middleware/rate-limit.middleware.js';
import { createRequestIdMiddleware } from './middleware/request-id.middleware.js';
import { createSecurityHeadersMiddleware } from './middleware/security-headers.middleware.js';
import { createSessionMiddleware, createSignedInLocals } from './middleware/session.middleware.js';
import { createViewEnvironment, STATIC_DIR } from './render.js';
import { listRoutes } from './route-inventory.js';
import { createAcsRouter } from './routes/acs.routes.js';
import { createApiRouter } from './routes/api.routes.js';
import { createConsoleAccountRouter } from './routes/console-account.routes.js';
import { createConsoleAddressRouter } from './routes/console-address.routes.js';
import { createConsoleDirectoryRouter } from './routes/console-directory.routes.js';
import { createConsoleProfileRouter } from './routes/console-profile.routes.js';
import { createHealthRouter } from './routes/health.routes.js';
import { createHomeRouter } from './routes/home.routes.js';
import { createLandingRouter } from './routes/landing.routes.js';
import type { RouteDeps } from './routes/route-deps.js';
import { createSignInRouter } from './routes/sign-in.routes.js';
import { createSloRouter } from './routes/slo.routes.js';
import { createTracesRouter } from './routes/traces.routes.js';

/** Everything the SP app needs; the caller (server, CLI, tests) builds it. */
export interface SpAppDeps {
  ctx: SpContext;
  /** Never express-session's MemoryStore: it leaks and is not shared between replicas. */
  sessionStore: session.Store;
  sessionSecret: string;
  /**
   * When set, the API, the console and the SSO log need it on every request, whatever the bind
   * address, Host or forwarding headers. When null, they answer loopback socket peers only.
   */
  adminToken: string | null;
  /** True when the SP listens beyond loopback: building it without an admin token then fails. */
  requireAdminToken: boolean;
  /** Secure cookies (and HSTS): set when browsers reach the SP over https. */
  secureCookies?: boolean;
  /**
   * More host names browsers may use to reach a loopback-bound SP (e.g. through a local reverse
   * proxy that keeps the Host header); loopback names, the public URL's host and the Mimecast
   * region hosts are always served.
   */
  allowedHostNames?: string[];
  /** Requests per client IP per window; Config.rateLimits. Default: the configuration defaults. */
  rateLimits?: RateLimitSettings;
  logger?: Logger;
}

/** The ACS path: the one POST that must accept cross-site requests (see acs.routes.ts). */
const ACS_PATH = '/login/saml';

/**
 * Rate limits per route group, mounted before the session and body parsers so that a flood costs as
 * little as possible. Sign-in starts share one count; the sign-in page without an email is free.
 */
function mountRateLimits(app: express.Express, settings: RateLimitSettings): void {
  const { windowSeconds } = settings;
  const signIn = createRateLimiter({
    limit: settings.signIn,
    windowSeconds,
    skip: (req) => foldAsciiCase(req.path).startsWith(ACS_PATH) && req.query.email === undefined,
  });
  app.get(ACS_PATH, signIn);
  app.get('/sso/:accountcode', signIn);
  app.post(ACS_PATH, createRateLimiter({ limit: settings.acs, windowSeconds }));
  // One count for both ways to make this server fetch a Metadata URL: the API and the console's Import.
  const metadataImport = createRateLimiter({ limit: settings.metadataImport, windowSeconds });
  app.post('/api/accounts/:code/profile/import-metadata', metadataImport);
  app.post('/accounts/:code/authentication-profiles/profile/import', metadataImport);
}

/**
 * Host names the loopback SP answers to besides loopback names: its public URL's host, and the
 * production Mimecast hosts (the TLS set-up maps them to this machine). No attacker can point those
 * at 127.0.0.1 for a victim's browser without already controlling that browser's resolver.
 */
function listServedHostNames(publicBaseUrl: string, extra: readonly string[]): string[] {
  const names = [...Object.values(REGION_HOSTS), ...extra];
  try {
    names.push(new URL(publicBaseUrl).hostname);
  } catch {
    // Config validation makes this unreachable; without a public host only loopback names pass.
  }
  return names;
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
  // JSON answers write <, > and & as \u003c …: a report full of hostile XML stays inert even if a
  // browser or a proxy ever mistook it for HTML.
  app.set('json escape', true);

  const logger = deps.logger ?? pino({ level: 'silent' });
  const views = createViewEnvironment();
  const tokenPolicy: AdminTokenPolicy = { required: deps.requireAdminToken, token: deps.adminToken };
  const routeDeps: RouteDeps = { ctx: deps.ctx, views, logger, consoleGuard: createConsoleTokenGuard(tokenPolicy) };

  app.use(createRequestIdMiddleware(deps.ctx.ids));
  app.use(createAccessLogMiddleware(logger));
  app.use(createSecurityHeadersMiddleware({ hsts: deps.secureCookies ?? false }));
  // Beyond loopback the admin token guards what DNS rebinding would reach, so only loopback needs this.
  if (!deps.requireAdminToken)
    app.use(createHostGuard({ allowedHostNames: listServedHostNames(deps.ctx.settings.publicBaseUrl, deps.allowedHostNames ?? []) }));
  // Probes need no token, no session and no rate limit.
  const healthRouter = createHealthRouter(routeDeps);
  app.use('/api', healthRouter);
  app.use('/static', express.static(STATIC_DIR, { index: false, redirect: false, maxAge: '1h' }));
  mountRateLimits(app, deps.rateLimits ?? defaults.rateLimits);
  app.use(createSessionMiddleware({ store: deps.sessionStore, secret: deps.sessionSecret, secureCookies: deps.secureCookies ?? false }));
  app.use(createSignedInLocals());

  const apiRouter = createApiRouter(routeDeps, tokenPolicy, [healthRouter]);
  app.use('/api', apiRouter);
  // What /api answers, read from the routers: the contract test holds it to openapi.yaml.
  app.locals.apiRoutes = [healthRouter, apiRouter].flatMap(listRoutes).map((route) => ({ ...route, path: `/api${route.path}` }));
  // The console's forms are larger than the CSRF middleware's own parse allows; its token check reads this parse.
  app.use('/accounts', createConsoleFormParser());
  // After the API (JSON only, never a browser form) and before every console route; the ACS is exempt.
  app.use(createCsrfProtection({ exemptPaths: [ACS_PATH] }));
  app.use(createHomeRouter(routeDeps));
  app.use(createConsoleAccountRouter(routeDeps));
  app.use(createConsoleProfileRouter(routeDeps));
  app.use(createConsoleDirectoryRouter(routeDeps));
  app.use(createConsoleAddressRouter(routeDeps));
  app.use(createSignInRouter(routeDeps));
  app.use(createAcsRouter(routeDeps));
  app.use(createLandingRouter(routeDeps));
  app.use(createSloRouter(routeDeps));
  app.use(createTracesRouter(routeDeps));

  app.use(createNotFoundHandler());
  app.use(createErrorHandler(views, logger));
  return app;
}
