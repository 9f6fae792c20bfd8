/**
 * "Manage tenants" and "Create a tenant": the tenants this mock Entra holds, and a new one with its
 * initial domain, an optional primary (custom) domain and its own signing keys.
 */
import { type Request, type Response, Router } from 'express';
import type { FieldError } from '../../../core/idp/field-errors.js';
import { createConsoleTenant, describeTenants, INITIAL_DOMAIN_SUFFIX, type NewTenantForm } from '../../../core/idp/tenants.js';
import { renderIdpPage } from '../idp-views.js';
import { indexFieldErrors, readText, selectRefusalStatus } from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

function readTenantForm(req: Request): NewTenantForm {
  return { initialDomain: readText(req, 'initialDomain', 300), primaryDomain: readText(req, 'primaryDomain', 300) };
}

function renderForm(res: Response, deps: IdpRouteDeps, form: NewTenantForm, errors: FieldError[] = [], status = 200): void {
  const data = { form, suffix: INITIAL_DOMAIN_SUFFIX, errors: indexFieldErrors(errors), errorCount: errors.length };
  renderIdpPage(res, deps.views, 'tenant-new.njk', data, status);
}

/** Mounts GET /tenants, GET and POST /tenants/new (under /admin). */
export function createConsoleTenantsRouter(deps: IdpRouteDeps): Router {
  const router = Router();

  router.get('/tenants', async (req, res) => {
    const created = typeof req.query.created === 'string' ? req.query.created.slice(0, 64) : null;
    renderIdpPage(res, deps.views, 'tenants.njk', { rows: await describeTenants(deps.ctx), created, errors: {} });
  });

  router.get('/tenants/new', (_req, res) => {
    renderForm(res, deps, { initialDomain: '', primaryDomain: '' });
  });

  router.post('/tenants/new', async (req, res) => {
    const form = readTenantForm(req);
    const outcome = await createConsoleTenant(deps.ctx, form);
    if (!outcome.ok) {
      renderForm(res, deps, form, outcome.errors, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `/admin/tenants?created=${encodeURIComponent(outcome.value.tenantId)}`);
  });

  return router;
}
