import { type Request, type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import { type DirectoryUser, readEmailDomain } from '../../core/sp/accounts.js';
import { removeDirectoryUser, requireDirectoryUser, toPublicUser, updateDirectoryUser } from '../../core/sp/admin.js';
import { createCsrfRequirement, ensureCsrfToken } from '../middleware/csrf.middleware.js';
import {
  type EditAddressValues,
  listOfferedRoles,
  parseEditAddressForm,
  readEditAddressForm,
} from '../schemas/console-directory.schemas.js';
import type { FieldErrors } from '../schemas/console-form.js';
import { type ConsoleFrame, loadConsoleFrame, renderConsolePage } from './console-account.routes.js';
import { buildDomainPath, noteRemovedAddress, requireDomain } from './console-directory.routes.js';
import { type RouteDeps, readParam } from './route-deps.js';

/** An address's page under its domain. */
export const ADDRESS_PATH = '/accounts/:code/internal-directories/:domain/addresses/:email';

/** Where an address's edit page lives. */
export function buildAddressPath(code: string, domain: string, email: string): string {
  return `${buildDomainPath(code, domain)}/addresses/${encodeURIComponent(email)}`;
}

/** What every address page needs: the frame, the domain and the address, which must be in that domain. */
interface AddressTarget {
  frame: ConsoleFrame;
  domain: string;
  user: DirectoryUser;
}

/** The address named in the path, or NOT_FOUND / USER_NOT_FOUND (a 404 page) when it is not in this domain. */
async function loadAddress(deps: RouteDeps, req: Request): Promise<AddressTarget> {
  const frame = await loadConsoleFrame(deps.ctx, readParam(req.params.code));
  const domain = requireDomain(frame, readParam(req.params.domain));
  const user = toPublicUser(await requireDirectoryUser(deps.ctx, frame.account.code, readParam(req.params.email)));
  if (readEmailDomain(user.email) !== domain) {
    throw new AppError('USER_NOT_FOUND', `${user.email} is not an address of ${domain}.`, { details: { email: user.email } });
  }
  return { frame, domain, user };
}

/**
 * An Internal Directory address in the Administration Console: its edit form (Global Name, Force
 * Change at Login, roles; the address itself is fixed, as the API's PATCH has it) and its deletion
 * behind a confirm page. The rules are the core's (updateDirectoryUser, removeDirectoryUser); every
 * POST carries the page's form token, and a refusal is shown beside its field with what was typed kept.
 */
export function createConsoleAddressRouter(deps: RouteDeps): Router {
  const { ctx, consoleGuard } = deps;
  // As on the other directory forms: a token is required even from an empty session (loopback has no sign-in).
  const requireFormToken = createCsrfRequirement();
  const router = Router();

  function trailFor(target: AddressTarget, last: string) {
    const { frame, domain, user } = target;
    const code = frame.account.code;
    return [
      { label: domain, href: buildDomainPath(code, domain) },
      ...(last === user.email
        ? [{ label: user.email }]
        : [{ label: user.email, href: buildAddressPath(code, domain, user.email) }, { label: last }]),
    ];
  }

  function renderEdit(req: Request, res: Response, target: AddressTarget, values: EditAddressValues, errors: FieldErrors, status = 200) {
    ensureCsrfToken(req, res);
    const { frame, domain, user } = target;
    renderConsolePage(
      res,
      deps,
      'console-edit-address.njk',
      {
        frame,
        section: 'internal-directories',
        trail: trailFor(target, user.email),
        domain,
        user,
        values,
        errors,
        roles: listOfferedRoles(user.roles),
      },
      status,
    );
  }

  router.get(ADDRESS_PATH, consoleGuard, async (req, res) => {
    const target = await loadAddress(deps, req);
    const { globalName, forceChangeAtLogin, roles } = target.user;
    renderEdit(req, res, target, { globalName, forceChangeAtLogin, roles }, {});
    return;
  });

  router.post(ADDRESS_PATH, consoleGuard, requireFormToken, async (req, res) => {
    const target = await loadAddress(deps, req);
    const { frame, domain, user } = target;
    const values = readEditAddressForm(req.body);
    const parsed = parseEditAddressForm(values, { email: user.email, offered: listOfferedRoles(user.roles) });
    if (!parsed.ok) {
      renderEdit(req, res, target, values, parsed.errors, 400);
      return;
    }
    // An address deleted meanwhile is USER_NOT_FOUND, the 404 page: there is nothing left to edit.
    await updateDirectoryUser(ctx, frame.account.code, user.email, parsed.value);
    res.redirect(303, `${buildDomainPath(frame.account.code, domain)}?updated=${encodeURIComponent(user.email)}`);
    return;
  });

  router.get(`${ADDRESS_PATH}/delete`, consoleGuard, async (req, res) => {
    const target = await loadAddress(deps, req);
    ensureCsrfToken(req, res);
    renderConsolePage(res, deps, 'console-delete-address.njk', {
      frame: target.frame,
      section: 'internal-directories',
      trail: trailFor(target, 'Delete'),
      domain: target.domain,
      user: target.user,
    });
    return;
  });

  router.post(`${ADDRESS_PATH}/delete`, consoleGuard, requireFormToken, async (req, res) => {
    const { frame, domain, user } = await loadAddress(deps, req);
    await removeDirectoryUser(ctx, frame.account.code, user.email);
    noteRemovedAddress(req, user.email);
    res.redirect(303, buildDomainPath(frame.account.code, domain));
    return;
  });

  return router;
}
