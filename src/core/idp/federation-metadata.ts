/**
 * The mock Entra's Federation Metadata XML: the document behind the App Federation Metadata Url,
 * shaped like Entra's (a signed EntityDescriptor with a UTF-8 BOM, two WS-Federation RoleDescriptors
 * and an IDPSSODescriptor listing every signing certificate, inactive ones too).
 */
import { SignedXml } from 'xml-crypto';
import { describeCertificate } from '../saml/certs.js';
import { ALGORITHM, BINDING, buildEntraIssuer, ENTRA_CLAIM, NS, PROTOCOL } from '../saml/constants.js';
import { escapeXml } from '../saml/xml.js';
import { trimTrailingSlashes } from '../text.js';

export interface FederationMetadataOptions {
  tenantId: string;
  /** e.g. http://localhost:3001; SSO and SLO live at `${idpBaseUrl}/${tenantId}/saml2`. */
  idpBaseUrl: string;
  /** PEM, every signing certificate, the active one first. */
  certificates: string[];
  /** PEM private key of the active certificate; signs the document. */
  signingKey: string;
  /** PEM certificate placed in the signature's KeyInfo. */
  signingCert: string;
  /** The EntityDescriptor ID, `_<guid>` like Entra's. */
  documentId: string;
  validUntil?: Date;
  /** Entra prefixes its metadata with a UTF-8 byte order mark; default true. */
  withBom?: boolean;
}

/** The claims a default Entra SAML app offers, with the names Entra's metadata gives them. */
const OFFERED_CLAIMS: ReadonlyArray<readonly [uri: string, displayName: string, description: string]> = [
  [ENTRA_CLAIM.name, 'Name', 'The mutable display name of the user.'],
  [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
    'Subject',
    'An immutable identifier of the user, unique to the application.',
  ],
  [ENTRA_CLAIM.givenName, 'Given Name', 'First name of the user.'],
  [ENTRA_CLAIM.surname, 'Surname', 'Last name of the user.'],
  [ENTRA_CLAIM.displayName, 'Display Name', 'Display name of the user.'],
  [ENTRA_CLAIM.objectId, 'ObjectIdentifier', 'Primary identifier for the user in the directory.'],
  [ENTRA_CLAIM.tenantId, 'TenantId', "Identifier for the user's tenant."],
  [ENTRA_CLAIM.identityProvider, 'IdentityProvider', 'Identity provider for the user.'],
  [ENTRA_CLAIM.emailAddress, 'Email', 'Email address of the user.'],
  [ENTRA_CLAIM.authnMethodsReferences, 'Authentication Methods References', 'The methods used to authenticate the user.'],
  [ENTRA_CLAIM.groups, 'Groups', 'Groups of the user.'],
  [ENTRA_CLAIM.role, 'Role Claim', 'Roles that the user is assigned to.'],
];

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function buildKeyDescriptors(certs: string[]): string {
  return certs
    .map(
      (base64) =>
        `<KeyDescriptor use="signing"><KeyInfo xmlns="${NS.ds}"><X509Data><X509Certificate>${base64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`,
    )
    .join('');
}

function buildEndpointReference(address: string): string {
  return `<wsa:EndpointReference xmlns:wsa="${NS.wsa}"><wsa:Address>${escapeXml(address)}</wsa:Address></wsa:EndpointReference>`;
}

function buildClaimTypesOffered(): string {
  const claims = OFFERED_CLAIMS.map(
    ([uri, name, description]) =>
      `<auth:ClaimType Uri="${uri}" xmlns:auth="${NS.auth}"><auth:DisplayName>${escapeXml(name)}</auth:DisplayName><auth:Description>${escapeXml(description)}</auth:Description></auth:ClaimType>`,
  );
  return `<fed:ClaimTypesOffered>${claims.join('')}</fed:ClaimTypesOffered>`;
}

function buildRoleDescriptor(type: 'SecurityTokenServiceType' | 'ApplicationServiceType', keys: string, body: string): string {
  return (
    `<RoleDescriptor xsi:type="fed:${type}" protocolSupportEnumeration="${PROTOCOL.wsFederation}" xmlns:xsi="${NS.xsi}" xmlns:fed="${NS.fed}">` +
    `${keys}${body}</RoleDescriptor>`
  );
}

/** The unsigned EntityDescriptor, without BOM or XML declaration. */
function buildUnsignedDescriptor(opts: FederationMetadataOptions, certs: string[]): string {
  const issuer = buildEntraIssuer(opts.tenantId);
  const base = trimTrailingSlashes(opts.idpBaseUrl);
  const saml2 = escapeXml(`${base}/${opts.tenantId}/saml2`);
  const wsfed = `${base}/${opts.tenantId}/wsfed`;
  const keys = buildKeyDescriptors(certs);
  const validUntil = opts.validUntil ? ` validUntil="${opts.validUntil.toISOString()}"` : '';
  const sts = buildRoleDescriptor(
    'SecurityTokenServiceType',
    keys,
    buildClaimTypesOffered() +
      `<fed:SecurityTokenServiceEndpoint>${buildEndpointReference(wsfed)}</fed:SecurityTokenServiceEndpoint>` +
      `<fed:PassiveRequestorEndpoint>${buildEndpointReference(wsfed)}</fed:PassiveRequestorEndpoint>`,
  );
  const app = buildRoleDescriptor(
    'ApplicationServiceType',
    keys,
    `<fed:TargetScopes>${buildEndpointReference(issuer)}</fed:TargetScopes>` +
      `<fed:ApplicationServiceEndpoint>${buildEndpointReference(wsfed)}</fed:ApplicationServiceEndpoint>` +
      `<fed:PassiveRequestorEndpoint>${buildEndpointReference(wsfed)}</fed:PassiveRequestorEndpoint>`,
  );
  const idp =
    `<IDPSSODescriptor protocolSupportEnumeration="${PROTOCOL.saml2}">${keys}` +
    `<SingleLogoutService Binding="${BINDING.httpRedirect}" Location="${saml2}"/>` +
    `<SingleSignOnService Binding="${BINDING.httpRedirect}" Location="${saml2}"/>` +
    `<SingleSignOnService Binding="${BINDING.httpPost}" Location="${saml2}"/>` +
    '</IDPSSODescriptor>';
  return (
    `<EntityDescriptor ID="${opts.documentId}" entityID="${escapeXml(issuer)}"${validUntil} xmlns="${NS.md}">` +
    `${sts}${app}${idp}</EntityDescriptor>`
  );
}

/**
 * Builds Entra-shaped Federation Metadata XML (SAML Metadata 2.3.2 EntityDescriptor, 2.4.3
 * IDPSSODescriptor; WS-Federation 1.2 section 3.1 RoleDescriptors) and signs it with an enveloped
 * XML-DSig signature (exc-c14n, rsa-sha256, sha256) placed right after the root start tag, as
 * Entra does (SAML Metadata 3.1 / XML-DSig section 6.6.4).
 */
export function buildFederationMetadata(opts: FederationMetadataOptions): string {
  if (!ID_PATTERN.test(opts.documentId)) throw new TypeError('documentId must be an XML NCName such as _<guid>');
  if (opts.certificates.length === 0) throw new TypeError('at least one signing certificate is required');
  const certs = opts.certificates.map((pem) => describeCertificate(pem).base64);
  const signer = new SignedXml({
    privateKey: opts.signingKey,
    publicCert: opts.signingCert,
    signatureAlgorithm: ALGORITHM.rsaSha256,
    canonicalizationAlgorithm: ALGORITHM.excC14n,
    getKeyInfoContent: SignedXml.getKeyInfoContent,
  });
  const root = "/*[local-name(.)='EntityDescriptor']";
  signer.addReference({
    xpath: root,
    transforms: [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    digestAlgorithm: ALGORITHM.sha256,
  });
  signer.computeSignature(buildUnsignedDescriptor(opts, certs), { location: { reference: root, action: 'prepend' } });
  const bom = opts.withBom === false ? '' : '\uFEFF';
  return `${bom}<?xml version="1.0" encoding="utf-8"?>${signer.getSignedXml()}`;
}
