/**
 * Every route of a built app with the path it is mounted at: `listRoutes` reads a router and the
 * routers it mounts at its root; this adds the mount paths of the app's own layers (`/admin`, `/api`).
 */
import type express from 'express';
import { listRoutes, type RouteEntry } from '../../src/http/route-inventory.js';

interface AppLayer {
  route?: unknown;
  /** The path the layer was mounted with (router 2.x keeps it as given). */
  rawPath?: unknown;
  handle?: { stack?: unknown[] };
}

type RouterLike = Parameters<typeof listRoutes>[0];

function joinMount(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path === '/' ? prefix : `${prefix}${path}`;
}

/** Every route of `app`, full paths, each path and method once. */
export function listAppRoutes(app: express.Express): RouteEntry[] {
  const stack = (app as unknown as { router: { stack: AppLayer[] } }).router.stack;
  const routes = stack.flatMap((layer): RouteEntry[] => {
    if (layer.route) return listRoutes({ stack: [layer] } as unknown as RouterLike);
    if (!layer.handle?.stack) return [];
    if (typeof layer.rawPath !== 'string') throw new Error('a mounted router without a string mount path');
    const prefix = layer.rawPath === '/' ? '' : layer.rawPath;
    return listRoutes(layer.handle as unknown as RouterLike).map((route) => ({ ...route, path: joinMount(prefix, route.path) }));
  });
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Set<string>();
    for (const method of route.methods) methods.add(method);
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods: [...methods].sort() }));
}

/** The GET routes of `app` that are not its JSON API (`app.locals.apiRoutes`): the ones a browser opens. */
export function listBrowserGetRoutes(app: express.Express): string[] {
  const api = new Set((app.locals.apiRoutes as RouteEntry[]).map((route) => route.path));
  return listAppRoutes(app)
    .filter((route) => route.methods.includes('GET') && !api.has(route.path))
    .map((route) => route.path);
}
