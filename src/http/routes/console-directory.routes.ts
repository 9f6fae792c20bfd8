import { type Request, type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import { equalsAsciiCaseInsensitive, foldAsciiCase } from '../../core/saml/ascii-case.js';
import { ADMIN_ROLES, readEmailDomain } from '../../core/sp/accounts.js';
import { addDirectoryUser, toPublicUser, updateAccountFields } from '../../core/sp/admin.js';
import { createCsrfRequirement, ensureCsrfToken } from '../middleware/csrf.middleware.js';
import {
  type NewAddressValues,
  parseNewAddressForm,
  parseNewDomain,
  readNewAddressForm,
  readNewDomainForm,
} from '../schemas/console-directory.schemas.js';
import { type FieldErrors, toFieldError } from '../schemas/console-form.js';
import { type ConsoleFrame, loadConsoleFrame, renderConsolePage } from './console-account.routes.js';
import { type RouteDeps, readParam, readSingleQuery } from './route-deps.js';

declare module 'express-session' {
  interface SessionData {
    /** The address just deleted, for the domain page's notice once (a query string could name anything). */
    removedAddress: string;
  }
}

/** Remembers a deleted address for the next domain page's notice. */
export function noteRemovedAddress(req: Request, email: string): void {
  req.session.removedAddress = email;
}

/** The address deleted just before, once; null when none. */
function takeRemovedAddress(req: Request): string | null {
  const email = req.session.removedAddress ?? null;
  if (email !== null) delete req.session.removedAddress;
  return email;
}

/** Where a domain's page lives. */
export function buildDomainPath(code: string, domain: string): string {
  return `/accounts/${encodeURIComponent(code)}/internal-directories/${encodeURIComponent(domain)}`;
}

/** The domain named in the path, A–Z folded, or NOT_FOUND when the account does not hold it. */
export function requireDomain(frame: ConsoleFrame, raw: string): string {
  const domain = foldAsciiCase(raw);
  if (!frame.account.domains.includes(domain)) {
    throw new AppError('NOT_FOUND', `Account ${frame.account.code} has no domain ${domain}.`, {
      hint: 'Add it under Internal Directories › New Domain.',
    });
  }
  return domain;
}

/** Catalogue refusals a person can fix (DOMAIN_IN_USE, USER_EXISTS …) go beside a field; anything else is thrown on. */
export function readFixableError(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500 && err.code !== 'ACCOUNT_NOT_FOUND') return err;
  throw err;
}

/**
 * Administration › Directories › Internal Directories: the account's domains, "New Domain", a
 * domain's addresses and "New Address". The rules are the JSON API's (core/sp/admin.ts); a
 * refusal is shown beside its field with what was typed kept.
 */
export function createConsoleDirectoryRouter(deps: RouteDeps): Router {
  const { ctx, consoleGuard } = deps;
  // Every POST here needs the page's form token, even from a session that holds nothing else: on
  // loopback the console has no sign-in, so an empty session must not let a forged form in.
  const requireFormToken = createCsrfRequirement();
  const router = Router();

  async function renderNewDomain(req: Request, res: Response, domain: string, errors: FieldErrors, status = 200): Promise<void> {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    ensureCsrfToken(req, res);
    renderConsolePage(
      res,
      deps,
      'console-new-domain.njk',
      { frame, section: 'internal-directories', trail: [{ label: 'New Domain' }], domain, errors },
      status,
    );
  }

  async function renderNewAddress(req: Request, res: Response, values: NewAddressValues, errors: FieldErrors, status = 200): Promise<void> {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const domain = requireDomain(frame, readParam(req.params.domain));
    ensureCsrfToken(req, res);
    renderConsolePage(
      res,
      deps,
      'console-new-address.njk',
      {
        frame,
        section: 'internal-directories',
        trail: [{ label: domain, href: buildDomainPath(frame.account.code, domain) }, { label: 'New Address' }],
        domain,
        values,
        errors,
        roles: ADMIN_ROLES,
      },
      status,
    );
  }

  router.get('/accounts/:code/internal-directories', consoleGuard, async (req, res) => {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const users = await ctx.stores.directory.list(frame.account.code);
    const domains = frame.account.domains.map((domain) => ({
      domain,
      count: users.filter((u) => readEmailDomain(u.email) === domain).length,
    }));
    renderConsolePage(res, deps, 'console-directories.njk', { frame, section: 'internal-directories', domains });
    return;
  });

  router.get('/accounts/:code/internal-directories/new-domain', consoleGuard, async (req, res) => {
    await renderNewDomain(req, res, '', {});
    return;
  });

  router.post('/accounts/:code/internal-directories/new-domain', consoleGuard, requireFormToken, async (req, res) => {
    const { domain } = readNewDomainForm(req.body);
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const parsed = parseNewDomain(frame.account.domains, domain);
    if (!parsed.ok) {
      await renderNewDomain(req, res, domain, parsed.errors, 400);
      return;
    }
    try {
      await updateAccountFields(ctx, frame.account.code, { domains: parsed.domains });
    } catch (err) {
      const fixable = readFixableError(err);
      await renderNewDomain(req, res, domain, { domain: toFieldError(fixable) }, fixable.status);
      return;
    }
    res.redirect(303, `${buildDomainPath(frame.account.code, parsed.domain)}?added=domain`);
    return;
  });

  router.get('/accounts/:code/internal-directories/:domain', consoleGuard, async (req, res) => {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const domain = requireDomain(frame, readParam(req.params.domain));
    const users = (await ctx.stores.directory.list(frame.account.code))
      .filter((u) => readEmailDomain(u.email) === domain)
      .map(toPublicUser);
    // The notice names only what exists, so a crafted link cannot make the page claim anything.
    const findListed = (email: string | null) =>
      email === null ? null : (users.find((u) => equalsAsciiCaseInsensitive(u.email, email))?.email ?? null);
    const added = readSingleQuery(req.query.added) ?? null;
    const removed = takeRemovedAddress(req);
    renderConsolePage(res, deps, 'console-domain.njk', {
      frame,
      section: 'internal-directories',
      trail: [{ label: domain }],
      domain,
      users,
      addedEmail: findListed(added),
      updatedEmail: findListed(readSingleQuery(req.query.updated) ?? null),
      removedEmail: removed !== null && findListed(removed) === null ? removed : null,
      addedDomain: added === 'domain',
    });
    return;
  });

  router.get('/accounts/:code/internal-directories/:domain/new-address', consoleGuard, async (req, res) => {
    const empty: NewAddressValues = { email: '', globalName: '', password: '', confirmPassword: '', forceChangeAtLogin: false, roles: [] };
    await renderNewAddress(req, res, empty, {});
    return;
  });

  router.post('/accounts/:code/internal-directories/:domain/new-address', consoleGuard, requireFormToken, async (req, res) => {
    requireDomain(await loadConsoleFrame(ctx, readParam(req.params.code)), readParam(req.params.domain));
    const values = readNewAddressForm(req.body);
    const parsed = parseNewAddressForm(values);
    if (!parsed.ok) {
      await renderNewAddress(req, res, values, parsed.errors, 400);
      return;
    }
    const code = readParam(req.params.code);
    let email: string;
    try {
      email = (await addDirectoryUser(ctx, code, parsed.value)).email;
    } catch (err) {
      const fixable = readFixableError(err);
      await renderNewAddress(req, res, values, { email: toFieldError(fixable) }, fixable.status);
      return;
    }
    res.redirect(303, `${buildDomainPath(code, readEmailDomain(email) ?? '')}?added=${encodeURIComponent(email)}`);
    return;
  });

  return router;
}
