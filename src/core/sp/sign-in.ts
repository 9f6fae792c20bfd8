import { AppError } from '../errors.js';
import { decodeRedirectBinding } from '../saml/bindings.js';
import { AUTHN_CONTEXT, NAMEID_FORMAT } from '../saml/constants.js';
import { type Account, type AuthProfile, buildAccountUrls, isSamlEnforced, readEmailDomain } from './accounts.js';
import type { SpContext } from './context.js';
import { loadNodeSaml } from './node-saml-module.js';
import { readEffectiveProfile } from './profile-apply.js';
import { isSafeRelayPath } from './relay-state.js';
import type { Trace } from './traces.js';

export type SignInStart =
  | { kind: 'post'; action: string; fields: Record<string, string>; requestId: string; traceId: string }
  | { kind: 'redirect'; location: string; requestId: string; traceId: string };

/**
 * Mimecast's email-first step: the address's domain picks the account, whose profile must enforce SAML
 * and have the IdP's Login URL and certificate.
 */
export async function resolveAccountByEmail(ctx: SpContext, email: string): Promise<{ account: Account; profile: AuthProfile }> {
  const domain = readEmailDomain(email.trim());
  if (!domain)
    throw new AppError('VALIDATION_FAILED', 'Enter an email address, such as b.simon@contoso.com.', {
      details: [{ path: 'email', problem: 'not an email address' }],
    });
  const account = await ctx.stores.accounts.findByDomain(domain);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND_FOR_EMAIL', `No account has the domain ${domain}.`);
  const profile = await requireUsableProfile(ctx, account);
  return { account, profile };
}

/** The RequestedAuthnContext classes the profile's two switches ask for (Comparison exact). */
export function buildRequestedContexts(profile: AuthProfile): string[] {
  return [
    ...(profile.usePasswordProtectedContext ? [AUTHN_CONTEXT.passwordProtectedTransport] : []),
    ...(profile.useIntegratedAuthContext ? [AUTHN_CONTEXT.windows] : []),
  ];
}

/**
 * Builds an AuthnRequest with node-saml (SAML Core 3.4.1) for the account's profile, remembers its ID
 * server-side (the IdP's cross-site POST will not carry a SameSite=Lax cookie), records a trace and
 * says how to send it: an auto-posted form (HTTP-POST, Mimecast's binding) or a redirect.
 */
export async function startSpInitiatedSignIn(
  ctx: SpContext,
  input: { accountCode: string; relayState: string | null },
): Promise<SignInStart> {
  const account = await ctx.stores.accounts.get(input.accountCode);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND');
  const profile = await requireUsableProfile(ctx, account);
  if (input.relayState && !isSafeRelayPath(input.relayState)) throw new AppError('RELAY_STATE_UNSAFE');
  const urls = buildAccountUrls(account, ctx.settings.publicBaseUrl, profile.provider);
  const contexts = buildRequestedContexts(profile);
  const requestId = ctx.ids.samlId();
  const post = profile.requestBinding === 'post';
  const { SAML, ValidateInResponseTo } = await loadNodeSaml();
  const saml = new SAML({
    entryPoint: profile.loginUrl as string,
    issuer: urls.identifier,
    callbackUrl: urls.localAcsUrl,
    idpCert: profile.idpCertificates,
    identifierFormat: NAMEID_FORMAT.emailAddress,
    authnContext: contexts,
    racComparison: 'exact',
    disableRequestedAuthnContext: contexts.length === 0,
    generateUniqueId: () => requestId,
    validateInResponseTo: ValidateInResponseTo.never,
    authnRequestBinding: post ? 'HTTP-POST' : 'HTTP-Redirect',
    // SAML Bindings 3.5.4: the POST binding carries plain base64; DEFLATE belongs to the Redirect binding only.
    skipRequestCompression: post,
  });
  const relayState = input.relayState ?? '';
  const now = ctx.clock.now();
  await ctx.stores.pending.add({
    id: requestId,
    accountCode: account.code,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.settings.pendingRequestTtlMs).toISOString(),
    relayState: input.relayState,
    requestedAuthnContexts: contexts,
  });
  const trace = (raw: string, xml: string, binding: Trace['binding']): Trace => ({
    id: ctx.ids.uuid(),
    createdAt: now.toISOString(),
    kind: 'authn-request',
    binding,
    accountCode: account.code,
    outcome: 'sent',
    raw,
    xml,
    relayState: input.relayState,
    checks: [],
    summary: { flow: 'sp-initiated', responseId: requestId },
  });
  if (post) {
    const message = await saml.getAuthorizeMessageAsync(relayState, undefined, {});
    const fields: Record<string, string> = { SAMLRequest: String(message.SAMLRequest) };
    if (input.relayState) fields.RelayState = input.relayState;
    const t = trace(fields.SAMLRequest as string, Buffer.from(fields.SAMLRequest as string, 'base64').toString('utf8'), 'HTTP-POST');
    await ctx.stores.traces.add(t);
    return { kind: 'post', action: profile.loginUrl as string, fields, requestId, traceId: t.id };
  }
  const location = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
  const raw = new URL(location).searchParams.get('SAMLRequest') ?? '';
  const t = trace(raw, decodeRedirectBinding(raw, ctx.settings.maxSamlBytes), 'HTTP-Redirect');
  await ctx.stores.traces.add(t);
  return { kind: 'redirect', location, requestId, traceId: t.id };
}

/** SP metadata an Entra admin can upload ("Upload metadata file"): entity ID, ACS, encryption key. */
export async function buildSpMetadata(ctx: SpContext, accountCode: string): Promise<string> {
  const account = await ctx.stores.accounts.get(accountCode);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND');
  const profile = await ctx.stores.profiles.get(account.code);
  const urls = buildAccountUrls(account, ctx.settings.publicBaseUrl, profile?.provider ?? 'entra');
  const { generateServiceProviderMetadata } = await loadNodeSaml();
  return generateServiceProviderMetadata({
    issuer: urls.identifier,
    callbackUrl: urls.localAcsUrl,
    logoutCallbackUrl: `${ctx.settings.publicBaseUrl}/logout/saml`,
    identifierFormat: NAMEID_FORMAT.emailAddress,
    wantAssertionsSigned: true,
    decryptionPvk: ctx.keys.encryptionKey,
    decryptionCert: ctx.keys.encryptionCert,
  });
}

async function requireUsableProfile(ctx: SpContext, account: Account): Promise<AuthProfile> {
  const stored = await ctx.stores.profiles.get(account.code);
  if (!stored) throw new AppError('PROFILE_NOT_FOUND');
  const profile = readEffectiveProfile(stored, ctx.clock.now());
  if (!isSamlEnforced(profile)) throw new AppError('SAML_NOT_ENFORCED');
  const missing = [
    profile.loginUrl ? null : 'Login URL',
    profile.issuerUrl ? null : 'Issuer URL',
    profile.idpCertificates.length > 0 ? null : 'Identity Provider Certificate',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0)
    throw new AppError('PROFILE_INCOMPLETE', `The authentication profile has no ${missing.join(', ')}.`, { details: missing });
  return profile;
}
