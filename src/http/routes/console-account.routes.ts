import { type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import type { Account } from '../../core/sp/accounts.js';
import { type AccountView, describeAccount, requireAccount } from '../../core/sp/admin.js';
import type { SpContext } from '../../core/sp/context.js';
import { renderPage } from '../render.js';
import { type RouteDeps, readParam, readSingleQuery } from './route-deps.js';

/** The console's sections for one account, as its side navigation lists them. */
export const CONSOLE_SECTIONS = ['set-up', 'authentication-profiles', 'internal-directories', 'test-sso', 'sso-log'] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

/** Where a section of an account lives. */
export function buildSectionPath(code: string, section: ConsoleSection): string {
  const base = `/accounts/${encodeURIComponent(code)}`;
  if (section === 'set-up') return base;
  if (section === 'sso-log') return `/traces?account=${encodeURIComponent(code)}`;
  return `${base}/${section}`;
}

/** What every per-account console page draws around its content: the account and the switcher's list. */
export interface ConsoleFrame {
  account: AccountView;
  accounts: Account[];
}

/** The account (ACCOUNT_NOT_FOUND when unknown) and every account for the switcher. */
export async function loadConsoleFrame(ctx: SpContext, code: string): Promise<ConsoleFrame> {
  const account = await describeAccount(ctx, await requireAccount(ctx, code));
  return { account, accounts: await ctx.stores.accounts.list() };
}

/** One step of the breadcrumb trail; the last one is the page itself and has no link. */
export interface Crumb {
  label: string;
  href?: string;
}

const SECTION_TRAILS: Record<ConsoleSection, string[]> = {
  'set-up': ['Services', 'Applications', 'Set up in Entra'],
  'authentication-profiles': ['Services', 'Applications', 'Authentication Profiles'],
  'internal-directories': ['Directories', 'Internal Directories'],
  'test-sso': ['Services', 'Applications', 'Test SSO'],
  'sso-log': ['Services', 'Applications', 'SSO log'],
};

/** Administration › … › the section (linked) › `trail`, as the real console's breadcrumbs read. */
export function buildBreadcrumbs(code: string, section: ConsoleSection, trail: Crumb[] = []): Crumb[] {
  const steps = SECTION_TRAILS[section];
  const crumbs: Crumb[] = [{ label: 'Administration', href: '/' }, ...steps.slice(0, -1).map((label) => ({ label }))];
  crumbs.push({ label: steps[steps.length - 1] as string, href: buildSectionPath(code, section) });
  return [...crumbs, ...trail];
}

/** Renders a per-account console page with its frame, side navigation and breadcrumbs. */
export function renderConsolePage(
  res: Response,
  deps: Pick<RouteDeps, 'views'>,
  view: string,
  page: { frame: ConsoleFrame; section: ConsoleSection; trail?: Crumb[] } & Record<string, unknown>,
  status = 200,
): void {
  const { frame, trail, ...rest } = page;
  const breadcrumbs = buildBreadcrumbs(frame.account.code, page.section, trail);
  renderPage(res, deps.views, view, { ...rest, breadcrumbs, account: frame.account, accounts: frame.accounts }, status);
}

/** The account switcher, and the Test SSO page. */
export function createConsoleAccountRouter(deps: RouteDeps): Router {
  const { ctx, consoleGuard } = deps;
  const router = Router();

  // A GET form, so switching works without script: the chosen account's page of the same section.
  router.get('/console/switch-account', consoleGuard, async (req, res) => {
    const code = readSingleQuery(req.query.account) ?? '';
    const asked = readSingleQuery(req.query.section);
    const section = CONSOLE_SECTIONS.find((s) => s === asked) ?? 'set-up';
    if (code === '')
      throw new AppError('VALIDATION_FAILED', 'Choose an account.', { details: [{ path: 'account', problem: 'must not be empty' }] });
    const account = await requireAccount(ctx, code);
    res.redirect(303, buildSectionPath(account.code, section));
    return;
  });

  router.get('/accounts/:code/test-sso', consoleGuard, async (req, res) => {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const profile = await ctx.stores.profiles.get(frame.account.code);
    renderConsolePage(res, deps, 'console-test-sso.njk', {
      frame,
      section: 'test-sso',
      profile,
    });
    return;
  });

  return router;
}
