import { readAccountCodeFromIdentifier } from './account-identifier.js';
import { type Account, type AuthProfile, buildAccountUrls } from './accounts.js';
import type { SpSettings } from './context.js';
import type { ResolvedTarget } from './evaluate.js';
import type { PendingRequest, SpStores } from './ports.js';
import { readEffectiveProfile } from './profile-apply.js';
import type { ResponseFacts } from './response-facts.js';

/**
 * Finds the account a response is for: the pending request it answers, else its Audience, else its
 * Issuer when exactly one profile trusts that issuer. The order matters: a request id is proof the SP
 * started this exchange; an audience or issuer is only a claim.
 */
export async function resolveTarget(
  stores: SpStores,
  settings: SpSettings,
  facts: ResponseFacts,
  pending: PendingRequest | null | undefined,
  now: Date,
): Promise<ResolvedTarget> {
  let account: Account | null = null;
  let resolvedBy: ResolvedTarget['resolvedBy'] = null;
  if (pending) {
    account = await stores.accounts.get(pending.accountCode);
    if (account) resolvedBy = 'pending-request';
  }
  if (!account) {
    for (const audience of facts.assertion?.conditions?.audiences ?? []) {
      const code = readAccountCodeFromIdentifier(audience);
      account = code ? await stores.accounts.get(code) : null;
      if (account) {
        resolvedBy = 'audience';
        break;
      }
    }
  }
  const issuer = facts.assertion?.issuer ?? facts.issuer;
  if (!account && issuer) {
    const profiles = await stores.profiles.findByIssuer(issuer);
    if (profiles.length === 1) {
      account = await stores.accounts.get((profiles[0] as AuthProfile).accountCode);
      if (account) resolvedBy = 'issuer';
    }
  }
  const stored = account ? await stores.profiles.get(account.code) : null;
  // The ACS verifies with the settings in effect: a change saved moments ago may not apply yet.
  const profile = stored ? readEffectiveProfile(stored, now) : null;
  return describeTarget(account, profile, resolvedBy, settings);
}

/** The audiences and ACS URLs an account answers to, given its profile's provider. */
export function describeTarget(
  account: Account | null,
  profile: AuthProfile | null,
  resolvedBy: ResolvedTarget['resolvedBy'],
  settings: SpSettings,
): ResolvedTarget {
  const local = `${settings.publicBaseUrl}/login/saml`;
  if (!account) return { account: null, profile: null, resolvedBy: null, audiences: [], acsUrls: { local, production: null } };
  const urls = buildAccountUrls(account, settings.publicBaseUrl, profile?.provider ?? 'entra');
  const other = urls.identifier === urls.entraIdentifier ? urls.legacyIdentifier : urls.entraIdentifier;
  return {
    account,
    profile,
    resolvedBy,
    audiences: [urls.identifier, other],
    acsUrls: { local, production: settings.acceptProductionUrls ? urls.productionAcsUrl : null },
  };
}
