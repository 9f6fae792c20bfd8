/**
 * The single-logout messages the mock Entra sends (SAML Core 3.7.1 LogoutRequest, 3.7.2
 * LogoutResponse) and how they travel: HTTP-Redirect only, as Entra supports no other binding for
 * logout, signed on the query string with the app's active SAML signing certificate and written
 * with lower-case percent-escapes, as Entra's .NET stack writes them (SAML Bindings 3.4.4.1).
 */
import { encodeRedirectBinding } from '../saml/bindings.js';
import { buildEntraIssuer, buildEntraLogoutIssuer } from '../saml/constants.js';
import { buildLogoutRequestXml as buildRequest, buildLogoutResponseXml as buildResponse } from '../saml/logout-messages.js';
import { buildSignedRedirectQuery, type RedirectParam } from '../saml/redirect-signature.js';
import type { EnterpriseApp } from './apps.js';
import { selectSigningCertificate } from './signing-certificate.js';

/**
 * A LogoutResponse; Success unless `status` says otherwise. Its Issuer is `<login base>/<tenant-id>/`
 * as in Entra's single sign-out protocol doc (https://login.microsoftonline.com/<tenant-id>/), with the
 * mock's own base URL standing in for login.microsoftonline.com, as it does in the Login URL.
 */
export function buildLogoutResponseXml(input: {
  tenantId: string;
  loginBaseUrl: string;
  id: string;
  inResponseTo: string;
  destination: string;
  issueInstant: Date;
  status?: { code: string; subCode?: string };
}): string {
  const { tenantId, loginBaseUrl, ...rest } = input;
  return buildResponse({ ...rest, issuer: buildEntraLogoutIssuer(tenantId, loginBaseUrl) });
}

/**
 * The LogoutRequest Entra sends a session participant: the NameID (with its Format) and the
 * SessionIndex the app was given at sign-in.
 */
export function buildLogoutRequestXml(input: {
  tenantId: string;
  id: string;
  destination: string;
  issueInstant: Date;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}): string {
  const { tenantId, ...rest } = input;
  return buildRequest({ ...rest, issuer: buildEntraIssuer(tenantId) });
}

/**
 * The URL that carries `xml` to `location` on the HTTP-Redirect binding, signed with the app's
 * signing certificate at `now` and its signing algorithm (SAML Bindings 3.4.4.1).
 */
export function buildSignedRedirectUrl(
  location: string,
  param: RedirectParam,
  xml: string,
  relayState: string | null,
  app: EnterpriseApp,
  now: Date,
): string {
  const cert = selectSigningCertificate(app, now);
  const query = buildSignedRedirectQuery({
    param,
    message: encodeRedirectBinding(xml),
    relayState,
    key: cert.keyPem,
    algorithm: app.signingAlgorithm,
    encoding: 'lower',
  });
  return `${location}${location.includes('?') ? '&' : '?'}${query}`;
}
