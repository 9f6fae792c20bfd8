import { Router } from 'express';
import { isSamlEnforced, PROVIDER_LABELS, type AuthProfile } from '../../core/sp/accounts.js';
import { describeProfile } from '../../core/sp/profiles.js';
import { REGION_HOSTS } from '../../core/sp/regions.js';
import { renderPage } from '../render.js';
import { describeAccount, requireAccount } from './account.actions.js';
import { toPublicUser } from './directory.actions.js';
import { readParam, type RouteDeps } from './route-deps.js';

/** A one-word state for the home page's table; the set-up page shows the detail. */
function summariseProfile(profile: AuthProfile | null): 'missing' | 'not-enforced' | 'incomplete' | 'ready' {
  if (profile === null) return 'missing';
  if (!isSamlEnforced(profile)) return 'not-enforced';
  const complete = profile.issuerUrl !== null && profile.loginUrl !== null && profile.idpCertificates.length > 0;
  return complete ? 'ready' : 'incomplete';
}

/** The harness home (every account) and an account's set-up values. Both reveal configuration. */
export function createHomeRouter({ ctx, views, consoleGuard }: RouteDeps): Router {
  const router = Router();

  router.get('/', consoleGuard, async (_req, res) => {
    const accounts = await ctx.stores.accounts.list();
    const rows = await Promise.all(
      accounts.map(async (account) => ({
        account: await describeAccount(ctx, account),
        regionHost: REGION_HOSTS[account.region],
        profileState: summariseProfile(await ctx.stores.profiles.get(account.code)),
      })),
    );
    renderPage(res, views, 'home.njk', { rows, publicBaseUrl: ctx.settings.publicBaseUrl });
    return;
  });

  router.get('/accounts/:code', consoleGuard, async (req, res) => {
    const account = await describeAccount(ctx, await requireAccount(ctx, readParam(req.params.code)));
    const stored = await ctx.stores.profiles.get(account.code);
    const profile = stored === null ? null : describeProfile(stored, ctx.clock.now());
    const users = (await ctx.stores.directory.list(account.code)).map(toPublicUser);
    const providerLabel = PROVIDER_LABELS[stored?.provider ?? 'entra'];
    renderPage(res, views, 'account.njk', { account, profile, users, providerLabel, profileState: summariseProfile(stored) });
    return;
  });

  return router;
}
