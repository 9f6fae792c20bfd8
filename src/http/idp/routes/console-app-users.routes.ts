/**
 * An app's Users and groups: the assignments, "Add user/group" › "Add Assignment" (Users, "Select a
 * role" with Default Access, "Assign") and removing selected assignments.
 */
import { type Request, type Response, Router } from 'express';
import { assignUsersToApp, unassignUsersFromApp } from '../../../core/idp/admin-console.js';
import type { EnterpriseApp } from '../../../core/idp/apps.js';
import type { IdpUser, Tenant } from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import { buildConsolePaths, indexFieldErrors, loadConsoleApp, readTexts, renderConsolePage } from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'apps', appSection: 'users' };

async function listAssigned(deps: IdpRouteDeps, app: EnterpriseApp): Promise<IdpUser[]> {
  const users = await Promise.all(app.assignedUserIds.map((id) => deps.ctx.stores.users.findByObjectId(app.tenantId, id)));
  return users.filter((u): u is IdpUser => u !== null);
}

async function renderAssignments(
  res: Response,
  deps: IdpRouteDeps,
  scope: { tenant: Tenant; app: EnterpriseApp },
  extra: { notice?: string; errors?: FieldError[] } = {},
  status = 200,
) {
  const data = {
    ...PAGE,
    pageTitle: 'Users and groups',
    assignments: await listAssigned(deps, scope.app),
    notice: extra.notice ?? null,
    errors: indexFieldErrors(extra.errors ?? []),
  };
  renderConsolePage(res, deps, 'app-users.njk', scope, data, status);
}

async function renderAddAssignment(req: Request, res: Response, deps: IdpRouteDeps, errors: FieldError[] = [], status = 200) {
  const scope = await loadConsoleApp(deps, req);
  const all = await deps.ctx.stores.users.list(scope.tenant.tenantId);
  const candidates = all.filter((u) => !scope.app.assignedUserIds.includes(u.objectId));
  const data = { ...PAGE, pageTitle: 'Users and groups', candidates, selected: readTexts(req, 'upn'), errors: indexFieldErrors(errors) };
  renderConsolePage(res, deps, 'app-users-add.njk', scope, data, status);
}

/** Mounts the Users and groups pages (under /admin). */
export function createConsoleAppUsersRouter(deps: IdpRouteDeps): Router {
  const router = Router();

  router.get('/:tenantId/apps/:appId/users', async (req, res) => {
    const notice = req.query.notice === 'assigned' || req.query.notice === 'removed' ? req.query.notice : undefined;
    await renderAssignments(res, deps, await loadConsoleApp(deps, req), notice ? { notice } : {});
  });

  router.get('/:tenantId/apps/:appId/users/add', (req, res) => renderAddAssignment(req, res, deps));

  router.post('/:tenantId/apps/:appId/users', async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const outcome = await assignUsersToApp(deps.ctx, scope.tenant.tenantId, scope.app.appId, readTexts(req, 'upn'));
    if (!outcome.ok) {
      await renderAddAssignment(req, res, deps, outcome.errors, 400);
      return;
    }
    res.redirect(303, `${buildConsolePaths(scope.tenant, scope.app).appBase}/users?notice=assigned`);
  });

  router.post('/:tenantId/apps/:appId/users/remove', async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const outcome = await unassignUsersFromApp(deps.ctx, scope.tenant.tenantId, scope.app.appId, readTexts(req, 'upn'));
    if (!outcome.ok) {
      await renderAssignments(res, deps, scope, { errors: outcome.errors }, 400);
      return;
    }
    res.redirect(303, `${buildConsolePaths(scope.tenant, scope.app).appBase}/users?notice=removed`);
  });

  return router;
}
