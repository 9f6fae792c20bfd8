/**
 * An app's Users and groups: the assignments, "Add user/group" › "Add Assignment" (its "Users and
 * groups: None Selected" link opens the picker, whose Select brings the selection back), "Select a
 * role" with Default Access, "Assign", and removing selected assignments. The selection travels in
 * the query string of plain GET forms, so the whole flow works without script.
 */
import { type Request, type Response, Router } from 'express';
import { unassignUsersFromApp } from '../../../core/idp/admin-console.js';
import type { EnterpriseApp } from '../../../core/idp/apps.js';
import { ASSIGNMENT_SEARCH_MAX, assignUsersToApp, describeAssignmentPicker } from '../../../core/idp/assignments.js';
import type { IdpUser, Tenant } from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import {
  buildConsolePaths,
  indexFieldErrors,
  loadConsoleApp,
  readQueryText,
  readQueryTexts,
  readTexts,
  renderConsolePage,
} from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'apps', appSection: 'users', pageTitle: 'Users and groups' };

type Scope = { tenant: Tenant; app: EnterpriseApp };

async function listAssigned(deps: IdpRouteDeps, app: EnterpriseApp): Promise<IdpUser[]> {
  const users = await Promise.all(app.assignedUserIds.map((id) => deps.ctx.stores.users.findByObjectId(app.tenantId, id)));
  return users.filter((u): u is IdpUser => u !== null);
}

async function renderAssignments(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  extra: { notice?: string; errors?: FieldError[] } = {},
  status = 200,
) {
  const data = {
    ...PAGE,
    assignments: await listAssigned(deps, scope.app),
    notice: extra.notice ?? null,
    errors: indexFieldErrors(extra.errors ?? []),
  };
  renderConsolePage(res, deps, 'app-users.njk', scope, data, status);
}

/** A path of the flow with the selection (and a search) in its query. */
function buildSelectionPath(scope: Scope, page: 'add' | 'add/select', upns: readonly string[]): string {
  const query = new URLSearchParams(upns.map((upn) => ['upn', upn])).toString();
  return `${buildConsolePaths(scope.tenant, scope.app).appBase}/users/${page}${query === '' ? '' : `?${query}`}`;
}

/** "Add Assignment" with the selection `upns` (the picker's result, or what Assign was refused with). */
async function renderAddAssignment(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  upns: readonly string[],
  errors: FieldError[] = [],
  status = 200,
) {
  const picker = await describeAssignmentPicker(deps.ctx, scope.tenant.tenantId, scope.app.appId, { upns, search: '' });
  const chosen = picker.selected.map((u) => u.userPrincipalName);
  const data = {
    ...PAGE,
    selected: picker.selected,
    pickerHref: buildSelectionPath(scope, 'add/select', chosen),
    errors: indexFieldErrors(errors),
  };
  renderConsolePage(res, deps, 'app-users-add.njk', scope, data, status);
}

function readNotice(req: Request): string | undefined {
  return req.query.notice === 'assigned' || req.query.notice === 'removed' ? req.query.notice : undefined;
}

/** Mounts the Users and groups pages (under /admin). */
export function createConsoleAppUsersRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const base = '/:tenantId/apps/:appId/users';

  router.get(base, async (req, res) => {
    const notice = readNotice(req);
    await renderAssignments(res, deps, await loadConsoleApp(deps, req), notice ? { notice } : {});
  });

  router.get(`${base}/add`, async (req, res) => {
    await renderAddAssignment(res, deps, await loadConsoleApp(deps, req), readQueryTexts(req, 'upn'));
  });

  // The "Users and groups" picker: search, tick, Select (back to Add Assignment with the selection).
  router.get(`${base}/add/select`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const upns = readQueryTexts(req, 'upn');
    const search = readQueryText(req, 'search', ASSIGNMENT_SEARCH_MAX);
    const picker = await describeAssignmentPicker(deps.ctx, scope.tenant.tenantId, scope.app.appId, { upns, search });
    const selectedUpns = picker.selected.map((u) => u.userPrincipalName);
    renderConsolePage(res, deps, 'app-users-select.njk', scope, {
      ...PAGE,
      ...picker,
      selectedUpns,
      search,
      cancelHref: buildSelectionPath(scope, 'add', selectedUpns),
    });
  });

  router.post(base, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const upns = readTexts(req, 'upn');
    const outcome = await assignUsersToApp(deps.ctx, scope.tenant.tenantId, scope.app.appId, upns);
    if (!outcome.ok) {
      await renderAddAssignment(res, deps, scope, upns, outcome.errors, 400);
      return;
    }
    res.redirect(303, `${buildConsolePaths(scope.tenant, scope.app).appBase}/users?notice=assigned`);
  });

  router.post(`${base}/remove`, async (req, res) => {
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
