/**
 * Reads what an SP sends to /<tenant-id>/saml2: an AuthnRequest (SAML Core 3.4.1) or a
 * LogoutRequest (SAML Core 3.7.1), over HTTP-Redirect (DEFLATE) or HTTP-POST (base64). Anything
 * unreadable becomes an AADSTS-style AppError, never an unhandled exception.
 */
import { AppError } from '../errors.js';
import { decodePostBinding, decodeRedirectBinding } from '../saml/bindings.js';
import { NS } from '../saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely, readAttribute, readText, XmlSafetyError } from '../saml/xml.js';

/** Which binding carried the message. */
export type RequestBinding = 'redirect' | 'post';

/** An AuthnRequest, reduced to what Entra reads. */
export interface ParsedAuthnRequest {
  kind: 'authn';
  id: string;
  issuer: string | null;
  issueInstant: string | null;
  destination: string | null;
  assertionConsumerServiceUrl: string | null;
  protocolBinding: string | null;
  nameIdPolicyFormat: string | null;
  requestedAuthnContext: { comparison: string; classRefs: string[] } | null;
  forceAuthn: boolean;
  isPassive: boolean;
  /** The Version attribute as sent; null when absent. */
  version: string | null;
  /** True when the request carries a saml:Subject, which Entra does not support. */
  hasSubject: boolean;
  xml: string;
}

/** A LogoutRequest, reduced to what the IdP needs to end the session and answer. */
export interface ParsedLogoutRequest {
  kind: 'logout';
  id: string;
  issuer: string | null;
  /** Where the SP says it sent the request (SAML Core 3.2.1); null when absent. */
  destination: string | null;
  nameId: string | null;
  sessionIndexes: string[];
  xml: string;
}

export type ParsedSamlRequest = ParsedAuthnRequest | ParsedLogoutRequest;

/** Default size limit of a decoded request: real AuthnRequests are well under 4 kB. */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

/**
 * Decodes a SAMLRequest value for its binding. A missing or empty value is AADSTS750054;
 * anything that is not base64 / DEFLATE / UTF-8 is AADSTS750056.
 */
export function decodeSamlRequest(value: string | undefined | null, binding: RequestBinding, maxBytes = DEFAULT_MAX_REQUEST_BYTES): string {
  if (value === undefined || value === null || value.trim() === '') throw new AppError('IDP_AADSTS750054');
  try {
    return binding === 'redirect' ? decodeRedirectBinding(value, maxBytes) : decodePostBinding(value, maxBytes);
  } catch (err) {
    if (err instanceof XmlSafetyError) throw new AppError('IDP_AADSTS750056', undefined, { details: { reason: err.code }, cause: err });
    throw err;
  }
}

function readBoolean(el: Element, name: string): boolean {
  const value = readAttribute(el, name);
  return value === 'true' || value === '1';
}

function readIssuer(root: Element): string | null {
  const issuer = firstChildElement(root, NS.saml, 'Issuer');
  return issuer ? readText(issuer).trim() : null;
}

function readRequestedAuthnContext(root: Element): ParsedAuthnRequest['requestedAuthnContext'] {
  const rac = firstChildElement(root, NS.samlp, 'RequestedAuthnContext');
  if (!rac) return null;
  // SAML Core 3.3.2.2.1: Comparison defaults to "exact".
  const comparison = readAttribute(rac, 'Comparison') ?? 'exact';
  const classRefs = childElements(rac, NS.saml, 'AuthnContextClassRef').map((el) => readText(el).trim());
  return { comparison, classRefs };
}

function readId(root: Element): string {
  const id = readAttribute(root, 'ID');
  if (id === null || id.trim() === '')
    throw new AppError('IDP_AADSTS750056', 'The request has no ID attribute.', { details: { reason: 'missing ID' } });
  return id;
}

/**
 * Parses a decoded request with the safe parser (no DTD, size limit). Unreadable XML, or a root
 * that is neither samlp:AuthnRequest nor samlp:LogoutRequest, is AADSTS750056.
 */
export function parseSamlRequest(xml: string, maxBytes = DEFAULT_MAX_REQUEST_BYTES): ParsedSamlRequest {
  const doc = parseRequestXml(xml, maxBytes);
  const root = doc.documentElement;
  if (root.namespaceURI === NS.samlp && root.localName === 'LogoutRequest') {
    const nameId = firstChildElement(root, NS.saml, 'NameID');
    return {
      kind: 'logout',
      id: readId(root),
      issuer: readIssuer(root),
      destination: readAttribute(root, 'Destination'),
      nameId: nameId ? readText(nameId).trim() : null,
      sessionIndexes: childElements(root, NS.samlp, 'SessionIndex').map((el) => readText(el).trim()),
      xml,
    };
  }
  if (root.namespaceURI !== NS.samlp || root.localName !== 'AuthnRequest') {
    throw new AppError('IDP_AADSTS750056', 'The message is not a samlp:AuthnRequest.', {
      details: { reason: 'wrong root', root: root.localName },
    });
  }
  const policy = firstChildElement(root, NS.samlp, 'NameIDPolicy');
  return {
    kind: 'authn',
    id: readId(root),
    issuer: readIssuer(root),
    issueInstant: readAttribute(root, 'IssueInstant'),
    destination: readAttribute(root, 'Destination'),
    assertionConsumerServiceUrl: readAttribute(root, 'AssertionConsumerServiceURL'),
    protocolBinding: readAttribute(root, 'ProtocolBinding'),
    nameIdPolicyFormat: policy ? readAttribute(policy, 'Format') : null,
    requestedAuthnContext: readRequestedAuthnContext(root),
    forceAuthn: readBoolean(root, 'ForceAuthn'),
    isPassive: readBoolean(root, 'IsPassive'),
    version: readAttribute(root, 'Version'),
    hasSubject: firstChildElement(root, NS.saml, 'Subject') !== null,
    xml,
  };
}

/** An SP's samlp:LogoutResponse, reduced to what the IdP needs to carry a logout on. */
export interface ParsedLogoutResponse {
  id: string | null;
  inResponseTo: string | null;
  issuer: string | null;
  statusCode: string | null;
  xml: string;
}

/**
 * Decodes (HTTP-Redirect) and parses an SP's LogoutResponse (SAML Core 3.7.2) with the safe parser.
 * A missing value is AADSTS750054, anything unreadable or another root AADSTS750056.
 */
export function readLogoutResponse(value: string | undefined | null, maxBytes = DEFAULT_MAX_REQUEST_BYTES): ParsedLogoutResponse {
  const xml = decodeSamlRequest(value, 'redirect', maxBytes);
  const doc = parseRequestXml(xml, maxBytes);
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.samlp || root.localName !== 'LogoutResponse') {
    throw new AppError('IDP_AADSTS750056', 'The message is not a samlp:LogoutResponse.', {
      details: { reason: 'wrong root', root: root.localName },
    });
  }
  const status = firstChildElement(root, NS.samlp, 'Status');
  const code = status ? firstChildElement(status, NS.samlp, 'StatusCode') : null;
  return {
    id: readAttribute(root, 'ID'),
    inResponseTo: readAttribute(root, 'InResponseTo'),
    issuer: readIssuer(root),
    statusCode: code ? readAttribute(code, 'Value') : null,
    xml,
  };
}

/** Decodes and parses in one step, for the routes. */
export function readSamlRequest(
  value: string | undefined | null,
  binding: RequestBinding,
  maxBytes = DEFAULT_MAX_REQUEST_BYTES,
): ParsedSamlRequest {
  return parseSamlRequest(decodeSamlRequest(value, binding, maxBytes), maxBytes);
}

// Anything the safe parser refuses is, to Entra, a request it cannot read: AADSTS750056.
function parseRequestXml(xml: string, maxBytes: number): Document {
  try {
    return parseXmlSafely(xml, { maxBytes });
  } catch (err) {
    if (err instanceof XmlSafetyError) throw new AppError('IDP_AADSTS750056', undefined, { details: { reason: err.code }, cause: err });
    throw err;
  }
}
