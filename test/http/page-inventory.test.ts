/**
 * The browser page checks (test/e2e/browser-accessibility.test.ts) cover every page: each GET route
 * of both apps that a browser opens (the routers' own inventory, minus the JSON API) is in the page
 * list of test/_helpers/page-routes.ts or excluded there with a reason, and every entry names a
 * route the app answers with that method.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import { listAppRoutes, listBrowserGetRoutes } from '../_helpers/app-routes.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';
import { type AppName, EXCLUDED_ROUTES, PAGE_ROUTES } from '../_helpers/page-routes.js';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

describe('the page list of the browser checks', () => {
  let sp: TestSp;
  let idp: TestIdp;
  before(async () => {
    sp = createTestSp();
    idp = await createTestIdp();
  });
  after(async () => {
    await sp.close();
    await idp.close();
  });
  const appOf = (name: AppName): Express => (name === 'sp' ? sp.app : idp.app);

  for (const name of ['sp', 'idp'] as const) {
    test(`${name}: every GET route a browser opens is a listed page or excluded with a reason`, () => {
      const covered = new Set([
        ...PAGE_ROUTES.filter((p) => p.app === name && p.method === undefined).map((p) => p.route),
        ...EXCLUDED_ROUTES.filter((e) => e.app === name).map((e) => e.route),
      ]);
      const missing = listBrowserGetRoutes(appOf(name)).filter((route) => !covered.has(route));
      assert.deepEqual(missing, [], `add these to PAGE_ROUTES (or EXCLUDED_ROUTES with a reason) in test/_helpers/page-routes.ts`);
    });

    test(`${name}: every listed page and exclusion is a route of the app, with its method`, () => {
      const routes = listAppRoutes(appOf(name));
      const answers = (path: string, method: string) => routes.some((r) => r.path === path && r.methods.includes(method));
      const unknown = [
        ...PAGE_ROUTES.filter((p) => p.app === name && !answers(p.route, p.method ?? 'GET')).map((p) => `${p.method ?? 'GET'} ${p.route}`),
        ...EXCLUDED_ROUTES.filter((e) => e.app === name && !answers(e.route, 'GET')).map((e) => `GET ${e.route} (excluded)`),
      ];
      assert.deepEqual(unknown, []);
    });

    test(`${name}: nothing is both a listed page and excluded`, () => {
      const pages = new Set(PAGE_ROUTES.filter((p) => p.app === name && p.method === undefined).map((p) => p.route));
      assert.deepEqual(
        EXCLUDED_ROUTES.filter((e) => e.app === name && pages.has(e.route)).map((e) => e.route),
        [],
      );
    });
  }

  test('the inventory sees the mounted routers: the admin center under /admin, the API under /api', () => {
    const idpPaths = listAppRoutes(idp.app).map((r) => r.path);
    assert.ok(idpPaths.includes('/admin/:tenantId/enterprise-apps'));
    assert.ok(idpPaths.includes('/api/tenants'));
    assert.ok(!listBrowserGetRoutes(idp.app).some((path) => path.startsWith('/api/')));
    assert.ok(!listBrowserGetRoutes(sp.app).some((path) => path.startsWith('/api/')));
  });
});
