/**
 * URIs that SAML 2.0, XML-DSig and Entra ID use, in one place so that no check compares against a
 * hand-typed string. Names follow the specifications; Entra-specific values say so.
 */

import { foldAsciiCase } from './ascii-case.js';

/** XML namespaces (SAML Core 1.3 / Metadata 2.1, XML-DSig, XML-Enc, WS-Federation 1.2). */
export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  fed: 'http://docs.oasis-open.org/wsfed/federation/200706',
  auth: 'http://docs.oasis-open.org/wsfed/authorization/200706',
  wsa: 'http://www.w3.org/2005/08/addressing',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

/** Protocol binding URIs (SAML Bindings 3.4 and 3.5). */
export const BINDING = {
  httpPost: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  httpRedirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  httpArtifact: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact',
} as const;

/** protocolSupportEnumeration values (SAML Metadata 2.4.1; WS-Federation 1.2 section 3.1). */
export const PROTOCOL = {
  saml2: 'urn:oasis:names:tc:SAML:2.0:protocol',
  wsFederation: 'http://docs.oasis-open.org/wsfed/federation/200706',
} as const;

/** NameID formats (SAML Core 8.3). Entra issues emailAddress by default for gallery apps. */
export const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const;

/**
 * AuthnContextClassRef values (SAML Authn Context 3.4). `windows` and `multiFactor` are the
 * Microsoft URIs Entra answers with for Integrated Windows Authentication and MFA.
 */
export const AUTHN_CONTEXT = {
  password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  windows: 'urn:federation:authentication:windows',
  x509: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
  multiFactor: 'http://schemas.microsoft.com/claims/multipleauthn',
} as const;

/** Top-level and second-level status codes (SAML Core 3.2.2.2). */
export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  versionMismatch: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch',
  authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  invalidNameIdPolicy: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
  noAuthnContext: 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext',
  noPassive: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  requestUnsupported: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported',
  unknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
  unsupportedBinding: 'urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding',
} as const;

/** XML-DSig algorithm URIs (XML Signature 1.1 section 6; RFC 6931 for the "more" ones). */
export const ALGORITHM = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** Subject confirmation methods (SAML Profiles 3.1 and 3.3). */
export const SUBJECT_CONFIRMATION = {
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  holderOfKey: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
  senderVouches: 'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches',
} as const;

/** Attribute NameFormat URIs (SAML Core 8.2). */
export const ATTRIBUTE_NAME_FORMAT = {
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
} as const;

/** Claim type URIs Entra emits as Attribute Names, in the order a default Entra assertion lists them. */
export const ENTRA_CLAIM = {
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  identityProvider: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  authnMethodsReferences: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  emailAddress: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
} as const;

/** The authnmethodsreferences values Entra reports for common sign-in methods. */
export const ENTRA_AUTHN_METHOD = {
  password: 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
  windows: 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/windows',
  x509: 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/x509',
  multiFactor: 'http://schemas.microsoft.com/claims/multipleauthn',
} as const;

/** Entra's issuer shape: https://sts.windows.net/<tenant-id>/ (trailing slash included). */
export const ENTRA_ISSUER_PREFIX = 'https://sts.windows.net/';

/** A GUID as Entra prints tenant and object ids. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds Entra's issuer / metadata entityID for a tenant. */
export function buildEntraIssuer(tenantId: string): string {
  return `${ENTRA_ISSUER_PREFIX}${tenantId}/`;
}

/** The tenant id of an Issuer URL of Entra's https://sts.windows.net/<tenant-id>/ shape, lower case; else null. */
export function readEntraTenantId(issuer: string): string | null {
  if (!issuer.startsWith(ENTRA_ISSUER_PREFIX) || !issuer.endsWith('/')) return null;
  const candidate = issuer.slice(ENTRA_ISSUER_PREFIX.length, -1);
  return GUID_PATTERN.test(candidate) ? foldAsciiCase(candidate) : null;
}

/** Where Entra serves its SAML endpoints; a rehearsal puts the mock Entra's base URL in its place. */
export const ENTRA_LOGIN_BASE = 'https://login.microsoftonline.com';

/**
 * The Issuer of Entra's LogoutResponse: `https://login.microsoftonline.com/<tenant-id>/`, not the
 * sts.windows.net form of its sign-in responses (Entra's single sign-out SAML protocol doc).
 */
export function buildEntraLogoutIssuer(tenantId: string, loginBase: string = ENTRA_LOGIN_BASE): string {
  const base = loginBase.endsWith('/') ? loginBase.slice(0, -1) : loginBase;
  return `${base}/${tenantId}/`;
}
