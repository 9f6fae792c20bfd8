/**
 * Single logout at /<tenant-id>/saml2: the answer to an SP's LogoutRequest (SAML Core 3.7.2),
 * sent back over HTTP-Redirect to the app's Logout Url.
 */
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import { encodeRedirectBinding } from '../saml/bindings.js';
import { buildEntraIssuer, NS, STATUS } from '../saml/constants.js';
import { findAppByIdentifier } from './apps.js';
import type { ParsedLogoutRequest } from './authn-request.js';
import type { Tenant } from './directory.js';
import type { IdpContext } from './idp-context.js';

/** Where the browser goes after logout: the app's Logout Url with a LogoutResponse, or nowhere. */
export type LogoutOutcome = { kind: 'redirect'; location: string; xml: string } | { kind: 'signed-out' };

/** Builds an unsigned samlp:LogoutResponse with Success (the Redirect binding carries no XML signature). */
export function buildLogoutResponseXml(input: { tenantId: string; id: string; inResponseTo: string; destination: string; issueInstant: Date }): string {
  const doc = new DOMImplementation().createDocument(NS.samlp, 'samlp:LogoutResponse', null);
  const root = doc.documentElement;
  root.setAttribute('ID', input.id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', input.issueInstant.toISOString());
  root.setAttribute('Destination', input.destination);
  root.setAttribute('InResponseTo', input.inResponseTo);
  const issuer = doc.createElementNS(NS.saml, 'Issuer');
  issuer.setAttributeNS(NS.xmlns, 'xmlns', NS.saml);
  issuer.appendChild(doc.createTextNode(buildEntraIssuer(input.tenantId)));
  root.appendChild(issuer);
  const status = doc.createElementNS(NS.samlp, 'samlp:Status');
  const code = doc.createElementNS(NS.samlp, 'samlp:StatusCode');
  code.setAttribute('Value', STATUS.success);
  status.appendChild(code);
  root.appendChild(status);
  return new XMLSerializer().serializeToString(doc);
}

/**
 * Decides where a LogoutRequest's browser goes: when the Issuer is an app of the tenant with a
 * Logout Url, there with a LogoutResponse (HTTP-Redirect, SAML Bindings 3.4.4); otherwise to the
 * IdP's own "signed out" page. The caller ends the IdP session either way.
 */
export async function decideLogout(ctx: IdpContext, tenant: Tenant, request: ParsedLogoutRequest, relayState: string | null): Promise<LogoutOutcome> {
  const found = findAppByIdentifier(await ctx.stores.apps.list(tenant.tenantId), request.issuer ?? '');
  const logoutUrl = found?.app.logoutUrl ?? null;
  if (logoutUrl === null) return { kind: 'signed-out' };
  const xml = buildLogoutResponseXml({ tenantId: tenant.tenantId, id: ctx.ids.samlId(), inResponseTo: request.id, destination: logoutUrl, issueInstant: ctx.clock.now() });
  const url = new URL(logoutUrl);
  url.searchParams.set('SAMLResponse', encodeRedirectBinding(xml));
  if (relayState !== null) url.searchParams.set('RelayState', relayState);
  return { kind: 'redirect', location: url.toString(), xml };
}
