/**
 * Enterprise applications in the admin console: the list, New application › gallery search › add,
 * and an app's Overview and Properties.
 */
import { Router } from 'express';
import { AppError } from '../../../core/errors.js';
import { buildUserAccessUrl } from '../../../core/idp/admin.js';
import { addGalleryApp, saveAppProperties } from '../../../core/idp/admin-console.js';
import { type EnterpriseApp, isAppEnabledForSignIn, isAppVisibleToUsers, isBasicSamlConfigured } from '../../../core/idp/apps.js';
import { GALLERY, type GalleryItem, searchGallery } from '../../../core/idp/gallery.js';
import {
  buildConsolePaths,
  indexFieldErrors,
  loadConsoleApp,
  loadConsoleTenant,
  readFlag,
  readText,
  renderConsolePage,
  selectRefusalStatus,
} from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

function findGalleryItem(template: string): GalleryItem {
  const item = GALLERY.find((i) => i.template === template);
  if (!item) throw new AppError('NOT_FOUND');
  return item;
}

function readPropertiesForm(app: EnterpriseApp) {
  return {
    displayName: app.displayName,
    enabledForSignIn: isAppEnabledForSignIn(app),
    assignmentRequired: app.assignmentRequired,
    visibleToUsers: isAppVisibleToUsers(app),
  };
}

/** Mounts the enterprise application pages (under /admin). */
export function createConsoleAppsRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const appPage = { section: 'apps' };

  router.get('/', (_req, res) => res.redirect(303, '/'));
  router.get('/:tenantId', async (req, res) => {
    res.redirect(303, `${buildConsolePaths(await loadConsoleTenant(deps, req)).base}/enterprise-apps`);
  });

  router.get('/:tenantId/enterprise-apps', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    renderConsolePage(res, deps, 'enterprise-apps.njk', { tenant }, { ...appPage, apps: await deps.ctx.stores.apps.list(tenant.tenantId) });
  });

  router.get('/:tenantId/enterprise-apps/gallery', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    const search = typeof req.query.search === 'string' ? req.query.search.slice(0, 200) : '';
    renderConsolePage(res, deps, 'gallery.njk', { tenant }, { ...appPage, search, results: searchGallery(search) });
  });

  router.get('/:tenantId/enterprise-apps/gallery/:template', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    const item = findGalleryItem(String(req.params.template));
    renderConsolePage(res, deps, 'gallery-add.njk', { tenant }, { ...appPage, item, name: item.name });
  });

  router.post('/:tenantId/enterprise-apps', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    const item = findGalleryItem(readText(req, 'template'));
    const name = readText(req, 'displayName', 512);
    const outcome = await addGalleryApp(deps.ctx, tenant.tenantId, name);
    if (!outcome.ok) {
      renderConsolePage(
        res,
        deps,
        'gallery-add.njk',
        { tenant },
        { ...appPage, item, name, errors: indexFieldErrors(outcome.errors) },
        selectRefusalStatus(outcome.errors),
      );
      return;
    }
    res.redirect(303, buildConsolePaths(tenant, outcome.value).appBase ?? '/');
  });

  router.get('/:tenantId/apps/:appId', async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    renderConsolePage(res, deps, 'app-overview.njk', scope, {
      ...appPage,
      pageTitle: 'Overview',
      appSection: 'overview',
      configured: isBasicSamlConfigured(scope.app),
    });
  });

  router.get('/:tenantId/apps/:appId/properties', async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    renderConsolePage(res, deps, 'app-properties.njk', scope, {
      ...appPage,
      pageTitle: 'Properties',
      appSection: 'properties',
      form: readPropertiesForm(scope.app),
      userAccessUrl: buildUserAccessUrl(deps.ctx, scope.app),
      saved: req.query.saved === '1',
    });
  });

  router.post('/:tenantId/apps/:appId/properties', async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = {
      displayName: readText(req, 'displayName', 512),
      // A form without the radio (a script) leaves the switch as it is rather than disabling the app.
      enabledForSignIn: readText(req, 'enabledForSignIn', 8) === '' ? isAppEnabledForSignIn(scope.app) : readFlag(req, 'enabledForSignIn'),
      assignmentRequired: readFlag(req, 'assignmentRequired'),
      visibleToUsers: readFlag(req, 'visibleToUsers'),
    };
    const outcome = await saveAppProperties(deps.ctx, scope.tenant.tenantId, scope.app.appId, form);
    if (!outcome.ok) {
      const data = {
        ...appPage,
        pageTitle: 'Properties',
        appSection: 'properties',
        form,
        userAccessUrl: buildUserAccessUrl(deps.ctx, scope.app),
        errors: indexFieldErrors(outcome.errors),
      };
      renderConsolePage(res, deps, 'app-properties.njk', scope, data, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `${buildConsolePaths(scope.tenant, outcome.value).appBase}/properties?saved=1`);
  });

  return router;
}
