/**
 * Users › All users › New user › "Create new user" › "Review + create" › "Create". Each step posts
 * the whole form, so nothing typed is lost going back and forth. "Auto-generate password" makes the
 * password when the form is drawn and shows it there (Show password, Copy); Create uses exactly it,
 * marks it temporary, shows it once more, and keeps it nowhere but as a hash.
 */
import { type Request, type Response, Router } from 'express';
import { createConsoleUser } from '../../../core/idp/admin-console.js';
import {
  AUTH_METHODS,
  ensureGeneratedPassword,
  generateUserPassword,
  listTenantDomains,
  type NewUserForm,
  type Tenant,
  validateNewUserForm,
} from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import { indexFieldErrors, loadConsoleTenant, readFlag, readText, renderConsolePage, selectRefusalStatus } from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'users' };

const AUTH_LABELS: Record<string, string> = {
  password: 'Password',
  'multi-factor': 'Multi-factor authentication (MFA)',
  'windows-integrated': 'Windows integrated authentication',
  certificate: 'Certificate-based authentication',
};

function buildBlankForm(tenant: Tenant): NewUserForm {
  const domains = listTenantDomains(tenant);
  // The first verified (custom) domain is the one people usually pick; the initial domain otherwise.
  return {
    upnLocal: '',
    upnDomain: domains[1] ?? domains[0] ?? '',
    displayName: '',
    autoPassword: true,
    password: generateUserPassword(),
    accountEnabled: true,
    authMethod: 'password',
    mail: '',
  };
}

/** The form as posted, an auto-generated password made when it carries none (see ensureGeneratedPassword). */
function readUserForm(req: Request): NewUserForm {
  return ensureGeneratedPassword({
    upnLocal: readText(req, 'upnLocal', 128),
    upnDomain: readText(req, 'upnDomain', 256),
    displayName: readText(req, 'displayName', 512),
    autoPassword: readFlag(req, 'autoPassword'),
    password: readText(req, 'password', 512),
    accountEnabled: readFlag(req, 'accountEnabled'),
    authMethod: readText(req, 'authMethod', 64),
    mail: readText(req, 'mail', 256),
  });
}

function renderForm(res: Response, deps: IdpRouteDeps, tenant: Tenant, form: NewUserForm, errors: FieldError[] = [], status = 200): void {
  const authMethods = AUTH_METHODS.map((m) => ({ value: m, label: AUTH_LABELS[m] ?? m }));
  const data = {
    ...PAGE,
    form,
    // What "Auto-generate password" puts back in the field when ticked again.
    generatedPassword: form.autoPassword ? form.password : generateUserPassword(),
    domains: listTenantDomains(tenant),
    authMethods,
    errors: indexFieldErrors(errors),
    errorCount: errors.length,
  };
  renderConsolePage(res, deps, 'user-new.njk', { tenant }, data, status);
}

/** Mounts the Users pages (under /admin). */
export function createConsoleUsersRouter(deps: IdpRouteDeps): Router {
  const router = Router();

  router.get('/:tenantId/users', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    renderConsolePage(
      res,
      deps,
      'users.njk',
      { tenant },
      { ...PAGE, users: await deps.ctx.stores.users.list(tenant.tenantId), authLabels: AUTH_LABELS },
    );
  });

  router.get('/:tenantId/users/new', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    renderForm(res, deps, tenant, buildBlankForm(tenant));
  });

  router.post('/:tenantId/users/new', async (req, res) => {
    const tenant = await loadConsoleTenant(deps, req);
    const form = readUserForm(req);
    const step = readText(req, 'step');
    if (step === 'edit') {
      renderForm(res, deps, tenant, form);
      return;
    }
    if (step !== 'create') {
      const errors = validateNewUserForm(tenant, form);
      if (errors.length > 0) renderForm(res, deps, tenant, form, errors, 400);
      else renderConsolePage(res, deps, 'user-review.njk', { tenant }, { ...PAGE, form, authLabels: AUTH_LABELS });
      return;
    }
    const outcome = await createConsoleUser(deps.ctx, tenant.tenantId, form);
    if (!outcome.ok) {
      renderForm(res, deps, tenant, form, outcome.errors, selectRefusalStatus(outcome.errors));
      return;
    }
    renderConsolePage(
      res,
      deps,
      'user-created.njk',
      { tenant },
      {
        ...PAGE,
        user: outcome.value.user,
        password: outcome.value.generatedPassword,
        temporary: outcome.value.user.passwordIsTemporary === true,
      },
      201,
    );
  });

  return router;
}
