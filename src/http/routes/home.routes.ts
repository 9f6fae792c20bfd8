import { Router } from 'express';
import { type AuthProfile, isSamlEnforced, PROVIDER_LABELS } from '../../core/sp/accounts.js';
import { describeAccount, toPublicUser } from '../../core/sp/admin.js';
import { SP_LOGOUT_PATH } from '../../core/sp/logout.js';
import { describeProfile } from '../../core/sp/profiles.js';
import { REGION_HOSTS } from '../../core/sp/regions.js';
import { renderPage } from '../render.js';
import { loadConsoleFrame, renderConsolePage } from './console-account.routes.js';
import { type RouteDeps, readParam } from './route-deps.js';

/** A one-word state for the console's tables; the profile page shows the detail. */
export function summariseProfile(profile: AuthProfile | null): 'missing' | 'not-enforced' | 'incomplete' | 'ready' {
  if (profile === null) return 'missing';
  if (!isSamlEnforced(profile)) return 'not-enforced';
  const complete = profile.issuerUrl !== null && profile.loginUrl !== null && profile.idpCertificates.length > 0;
  return complete ? 'ready' : 'incomplete';
}

/**
 * The console's start (pick an account) and an account's "Set up in Entra" page: the exact values to
 * type into Entra's Basic SAML Configuration. Both reveal configuration.
 */
export function createHomeRouter(deps: RouteDeps): Router {
  const { ctx, views, consoleGuard } = deps;
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
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const profile = await ctx.stores.profiles.get(frame.account.code);
    const users = (await ctx.stores.directory.list(frame.account.code)).map(toPublicUser);
    renderConsolePage(res, deps, 'account.njk', {
      frame,
      section: 'set-up',
      providerLabel: PROVIDER_LABELS[profile?.provider ?? 'entra'],
      profileState: summariseProfile(profile),
      profile: profile === null ? null : describeProfile(profile, ctx.clock.now()),
      users,
      regionHost: REGION_HOSTS[frame.account.region],
      logoutUrl: `${ctx.settings.publicBaseUrl}${SP_LOGOUT_PATH}`,
    });
    return;
  });

  return router;
}
