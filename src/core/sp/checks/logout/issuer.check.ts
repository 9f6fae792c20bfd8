import { foldAsciiCase } from '../../../saml/ascii-case.js';
import { buildEntraLogoutIssuer, ENTRA_LOGIN_BASE, readEntraTenantId } from '../../../saml/constants.js';
import type { LogoutMessageFacts } from '../../../saml/logout-messages.js';
import type { AuthProfile } from '../../accounts.js';
import type { CheckResult } from '../../traces.js';
import { describeCheck } from '../check-context.js';
import type { LogoutCheckContext } from './logout-context.js';

const issuer = describeCheck('logout-issuer', "Issuer is the profile's Issuer URL", 'SAML Core 3.2.1; Profiles 4.4.4');

/**
 * The Issuer a logout message from this profile's IdP carries. Entra signs its LogoutResponse as
 * `https://login.microsoftonline.com/<tenant-id>/` (its single sign-out protocol doc), not as the
 * Issuer URL `https://sts.windows.net/<tenant-id>/`; the login base is read off the profile's Logout
 * URL (`<base>/<tenant-id>/saml2`), so a rehearsal against the mock Entra expects the mock's base.
 */
export function expectLogoutIssuer(profile: AuthProfile, kind: LogoutMessageFacts['kind']): string | null {
  const issuerUrl = profile.issuerUrl;
  const tenantId = issuerUrl === null ? null : readEntraTenantId(issuerUrl);
  if (kind !== 'LogoutResponse' || profile.provider !== 'entra' || tenantId === null) return issuerUrl;
  const suffix = `/${tenantId}/saml2`;
  const logoutUrl = profile.logoutUrl ?? '';
  const base = foldAsciiCase(logoutUrl).endsWith(foldAsciiCase(suffix)) ? logoutUrl.slice(0, -suffix.length) : ENTRA_LOGIN_BASE;
  return buildEntraLogoutIssuer(tenantId, base);
}

/**
 * The message's Issuer equals what the profile's IdP puts there exactly: the Issuer URL, or for an
 * Entra LogoutResponse Entra's login.microsoftonline.com form ({@link expectLogoutIssuer}).
 */
export function checkLogoutIssuer(ctx: LogoutCheckContext): CheckResult {
  const expected = (ctx.profile && expectLogoutIssuer(ctx.profile, ctx.facts.kind)) ?? undefined;
  const received = ctx.facts.issuer ?? undefined;
  if (expected === undefined) return issuer.fail('SP_LOGOUT_ACCOUNT_UNRESOLVED', { received });
  if (received === expected)
    return issuer.pass(
      expected === ctx.profile?.issuerUrl
        ? "The Issuer is the profile's Issuer URL."
        : "The Issuer is Entra's logout Issuer for the profile's tenant.",
      { expected, received },
    );
  return issuer.fail('SP_LOGOUT_ISSUER_MISMATCH', { expected, received: received ?? '(none)' });
}
