/**
 * The rules a logout message must meet at the SP's /logout/saml (SAML Profiles 4.4, Bindings 3.4),
 * one named check each, reported like the ACS checks. A logout message is read in two steps:
 * {@link readLogoutMessage} decodes and parses it safely, then the checks judge what it says.
 */
import { equalsAsciiCaseInsensitive } from '../saml/ascii-case.js';
import { decodeRedirectBinding } from '../saml/bindings.js';
import { describeCertificate } from '../saml/certs.js';
import { ALGORITHM, buildEntraLogoutIssuer, ENTRA_LOGIN_BASE, readEntraTenantId, STATUS } from '../saml/constants.js';
import { type LogoutMessageFacts, readLogoutMessageFacts } from '../saml/logout-messages.js';
import type { RedirectSignatureResult } from '../saml/redirect-signature.js';
import { parseXmlSafely, XmlSafetyError } from '../saml/xml.js';
import { type AuthProfile, selectTrustedCertificates } from './accounts.js';
import { describeCheck } from './checks/check-context.js';
import { parseSamlTime } from './checks/timestamps.check.js';
import type { SignedInSession } from './context.js';
import type { CheckResult } from './traces.js';

/** What the logout checks read; built once per message. */
export interface LogoutCheckContext {
  now: Date;
  skewMs: number;
  refuseSha1: boolean;
  facts: LogoutMessageFacts;
  profile: AuthProfile | null;
  /** This SP's logout URL: `<publicBaseUrl>/logout/saml`. */
  expectedDestination: string;
  signature: RedirectSignatureResult;
  /** True for a LogoutRequest: acting on an unsigned one would let anyone end a session. */
  signatureRequired: boolean;
}

/** A decoded message, or the payload check that refused it. */
export type ReadLogoutMessage = { ok: true; xml: string; facts: LogoutMessageFacts; check: CheckResult } | { ok: false; xml: string | null; check: CheckResult };

const payload = describeCheck('payload', 'Message decodes and parses safely', 'SAML Bindings 3.4.4.1; SAML Core 1.3');

/**
 * Decodes an HTTP-Redirect value (DEFLATE + base64, size limit) and parses it with the safe parser
 * (no DTD); the root must be `expected` (SP_LOGOUT_WRONG_ROOT otherwise).
 */
export function readLogoutMessage(value: string, expected: 'LogoutRequest' | 'LogoutResponse', maxBytes: number): ReadLogoutMessage {
  let xml: string | null = null;
  try {
    xml = decodeRedirectBinding(value, maxBytes);
    const facts = readLogoutMessageFacts(parseXmlSafely(xml, { maxBytes }));
    if (facts.kind !== expected) {
      return { ok: false, xml, check: payload.fail('SP_LOGOUT_WRONG_ROOT', { expected: `samlp:${expected}`, received: facts.kind ?? 'another element' }) };
    }
    return { ok: true, xml, facts, check: payload.pass(`A samlp:${expected} over HTTP-Redirect.`) };
  } catch (err) {
    if (err instanceof XmlSafetyError) return { ok: false, xml, check: payload.fail(err.code) };
    throw err;
  }
}

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
  const base = logoutUrl.toLowerCase().endsWith(suffix) ? logoutUrl.slice(0, -suffix.length) : ENTRA_LOGIN_BASE;
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
  if (received === expected) return issuer.pass(expected === ctx.profile?.issuerUrl ? "The Issuer is the profile's Issuer URL." : "The Issuer is Entra's logout Issuer for the profile's tenant.", { expected, received });
  return issuer.fail('SP_LOGOUT_ISSUER_MISMATCH', { expected, received: received ?? '(none)' });
}

const destination = describeCheck('logout-destination', "Destination is this SP's logout URL", 'SAML Bindings 3.4.5.2');

/** Destination, when present, is this SP's /logout/saml; a missing one is a warning. */
export function checkLogoutDestination(ctx: LogoutCheckContext): CheckResult {
  const expected = ctx.expectedDestination;
  const received = ctx.facts.destination;
  if (received === null) return destination.warn('SP_LOGOUT_DESTINATION_MISSING', { expected });
  if (received === expected) return destination.pass('The Destination is this logout URL.', { expected, received });
  return destination.fail('SP_LOGOUT_DESTINATION_MISMATCH', { expected, received });
}

const signature = describeCheck('logout-signature', 'Redirect-binding signature by a profile certificate', 'SAML Bindings 3.4.4.1; Profiles 4.4.4.1');

/**
 * The SigAlg/Signature query parameters verify with one of the profile's Identity Provider
 * Certificates over the query as received. Unsigned fails for a LogoutRequest, warns for a
 * LogoutResponse (the local session is already over; only the report depends on it).
 */
export function checkLogoutSignature(ctx: LogoutCheckContext): CheckResult {
  const result = ctx.signature;
  const trusted = selectTrustedCertificates(ctx.profile ?? null);
  const expected = `a signature by ${trusted.map(readThumbprint).join(' or ') || "a profile certificate"}`;
  if (result.status === 'unsigned') return ctx.signatureRequired ? signature.fail('SP_LOGOUT_UNSIGNED', { expected }) : signature.warn('SP_LOGOUT_UNSIGNED', { expected });
  if (result.status === 'verified') {
    const received = `${result.sigAlg}, verified by ${readThumbprint(result.certificate)}`;
    if (result.hash === 'sha1') {
      return ctx.refuseSha1 ? signature.fail('SP_SIGNATURE_SHA1_REFUSED', { expected: ALGORITHM.rsaSha256, received }) : signature.warn('SP_SIGNATURE_SHA1', { expected: ALGORITHM.rsaSha256, received });
    }
    return signature.pass('The query-string signature verifies with a profile certificate.', { expected, received });
  }
  return signature.fail('SP_LOGOUT_SIGNATURE_INVALID', { expected, received: `${result.reason}${result.sigAlg ? ` (${result.sigAlg})` : ''}` });
}

const expiry = describeCheck('logout-expiry', 'LogoutRequest is not past its NotOnOrAfter', 'SAML Core 3.7.1');

/** NotOnOrAfter, when the IdP sets one, is still ahead of "now" within the skew. */
export function checkLogoutExpiry(ctx: LogoutCheckContext): CheckResult {
  const at = parseSamlTime(ctx.facts.notOnOrAfter);
  if (at === null) return expiry.pass('The request sets no NotOnOrAfter.');
  const received = ctx.facts.notOnOrAfter ?? '';
  if (Number.isNaN(at) || ctx.now.getTime() >= at + ctx.skewMs) return expiry.fail('SP_LOGOUT_EXPIRED', { expected: `after ${ctx.now.toISOString()}`, received });
  return expiry.pass('The request is within its NotOnOrAfter.', { received });
}

const status = describeCheck('logout-status', 'The IdP reports a complete logout', 'SAML Core 3.2.2.2, 3.7.3.2');

/** StatusCode Success without a PartialLogout second-level code. */
export function checkLogoutStatus(ctx: LogoutCheckContext): CheckResult {
  const { code, subCode, message } = ctx.facts.status;
  const received = [code, subCode, message].filter(Boolean).join(' | ') || '(no StatusCode)';
  if (code === STATUS.success && subCode === null) return status.pass('The IdP ended its session too.', { received });
  return status.fail('SP_LOGOUT_STATUS_NOT_SUCCESS', { expected: STATUS.success, received });
}

const inResponseTo = describeCheck('logout-in-response-to', 'InResponseTo answers a logout request this SP sent', 'SAML Core 3.2.2; Profiles 4.4.4.2');

/** The LogoutResponse answers a live LogoutRequest this SP sent (kept server-side, answered once). */
export function checkLogoutInResponseTo(facts: LogoutMessageFacts, pending: { found: boolean; expired: boolean }): CheckResult {
  const received = facts.inResponseTo ?? '(none)';
  if (pending.found && !pending.expired) return inResponseTo.pass('The response answers the LogoutRequest this SP sent.', { received });
  return inResponseTo.fail('SP_LOGOUT_IN_RESPONSE_TO_UNKNOWN', { received, ...(pending.expired ? { message: 'The LogoutRequest it answers has expired.' } : {}) });
}

const principal = describeCheck('logout-principal', 'NameID and SessionIndex name the signed-in session', 'SAML Core 3.7.3.1, 3.7.3.2');

/**
 * The NameID is the signed-in user's (emails compare case-insensitively, in ASCII only) and, when SessionIndex
 * values are given, one of them is the session's. Otherwise there is nothing here to end.
 */
export function checkLogoutPrincipal(facts: LogoutMessageFacts, session: SignedInSession | null): CheckResult {
  const received = `${facts.nameId?.value ?? '(no NameID)'}${facts.sessionIndexes.length ? ` [${facts.sessionIndexes.join(', ')}]` : ''}`;
  if (session === null) return principal.fail('SP_LOGOUT_UNKNOWN_PRINCIPAL', { expected: 'a signed-in session in this browser', received });
  const expected = `${session.nameId}${session.sessionIndex ? ` [${session.sessionIndex}]` : ''}`;
  const sameUser = facts.nameId !== null && equalsAsciiCaseInsensitive(facts.nameId.value, session.nameId);
  const sameSession = facts.sessionIndexes.length === 0 || session.sessionIndex === null || facts.sessionIndexes.includes(session.sessionIndex);
  if (sameUser && sameSession) return principal.pass('The request names the session signed in here.', { expected, received });
  return principal.fail('SP_LOGOUT_UNKNOWN_PRINCIPAL', { expected, received });
}

function readThumbprint(pem: string): string {
  try {
    return describeCertificate(pem).thumbprint;
  } catch {
    return '(unreadable certificate)';
  }
}
