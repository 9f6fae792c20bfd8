/**
 * What an express router answers, read from the router itself: every route's path and methods, through
 * the sub-routers mounted at its root. One source for the 405 answer and for the contract test that
 * holds each app's routes to its OpenAPI document.
 */
import type { Request, RequestHandler, Router } from 'express';
import { match } from 'path-to-regexp';
import { AppError } from '../core/errors.js';

/** One route: its path as written (`/accounts/:code`) and its methods, upper case. */
export interface RouteEntry {
  path: string;
  methods: string[];
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route of `router` and of the routers it mounts at its root, in order. */
export function listRoutes(router: Router): RouteEntry[] {
  const walk = (stack: readonly Layer[]): RouteEntry[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const methods = Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => m.toUpperCase());
        return paths.map((path) => ({ path, methods }));
      }
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((router as unknown as { stack: Layer[] }).stack);
}

/**
 * Answers 405 METHOD_NOT_ALLOWED with an `Allow` header when the path is one of the router's routes
 * but the method is not; anything else passes on (to the 404). Mount it after the routes; `routers`
 * are every router that answers under the same mount point.
 */
export function createMethodNotAllowedHandler(...routers: Router[]): RequestHandler {
  let matchers: { test: (path: string) => boolean; methods: string[] }[] | null = null;
  return (req: Request, res, next) => {
    matchers ??= routers.flatMap(listRoutes).map((route) => {
      const matches = match(route.path, { decode: false });
      return { test: (path: string) => matches(path) !== false, methods: route.methods };
    });
    const allowed = new Set(matchers.filter((m) => m.test(req.path)).flatMap((m) => m.methods));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    res.setHeader('Allow', [...allowed].sort().join(', '));
    next(new AppError('METHOD_NOT_ALLOWED', undefined, { details: { method: req.method, allowed: [...allowed].sort() } }));
  };
}
