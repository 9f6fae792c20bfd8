/**
 * Reads an IdP's SAML metadata (Entra's Federation Metadata XML) into what the SP needs: entity ID,
 * endpoints per binding, every signing certificate, and findings about the document itself.
 */

import { AppError, describeError, type ErrorCode } from '../errors.js';
import { foldAsciiCase } from './ascii-case.js';
import { describeCertificate } from './certs.js';
import { NS, PROTOCOL, readEntraTenantId } from './constants.js';
import { verifyEnvelopedSignature } from './metadata-signature.js';
import { readTenantWideEvidence } from './tenant-wide-evidence.js';
import type { CertificateInfo, Endpoint, Finding, IdpMetadata } from './types.js';
import {
  childElements,
  DEFAULT_MAX_XML_BYTES,
  descendantElements,
  parseXmlSafely,
  readAttribute,
  readText,
  stripBom,
  type XmlLimits,
  XmlSafetyError,
} from './xml.js';
import { DEFAULT_METADATA_XML_LIMITS } from './xml-limit-defaults.js';

export interface ParseIdpMetadataOptions {
  /** Certificate validity is judged at this instant. */
  now: Date;
  /** Where the document came from, when it was fetched; drives METADATA_TENANT_WIDE. */
  sourceUrl?: string | null;
  maxBytes?: number;
  /** Depth and width; each one left out is metadata's built-in budget (src/core/saml/xml-limit-defaults.ts). */
  xmlLimits?: Partial<XmlLimits>;
}

function buildFinding(code: ErrorCode, severity: Finding['severity'], message?: string): Finding {
  const entry = describeError(code);
  return { code, severity, message: message ?? entry.message, hint: entry.hint };
}

function readEntityId(el: Element): string {
  const entityId = readAttribute(el, 'entityID')?.trim() ?? '';
  if (entityId === '') throw new AppError('METADATA_INVALID', 'The EntityDescriptor has no entityID.');
  return entityId;
}

/** The SAML 2.0 IDPSSODescriptor of an EntityDescriptor, or null (SAML Metadata 2.4.3). */
function findIdpDescriptor(entity: Element): Element | null {
  const descriptors = childElements(entity, NS.md, 'IDPSSODescriptor');
  return descriptors.find((d) => (readAttribute(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL.saml2)) ?? null;
}

/** The one IdP EntityDescriptor: the root itself, or the only IdP inside an EntitiesDescriptor (SAML Metadata 2.3.1). */
function selectIdpEntity(root: Element): Element {
  if (root.namespaceURI === NS.md && root.localName === 'EntityDescriptor') return root;
  if (root.namespaceURI === NS.md && root.localName === 'EntitiesDescriptor') {
    const idps = descendantElements(root, NS.md, 'EntityDescriptor').filter((e) => findIdpDescriptor(e) !== null);
    if (idps.length === 1) return idps[0] as Element;
    throw new AppError('METADATA_INVALID', `The EntitiesDescriptor lists ${idps.length} identity providers; exactly one is needed.`);
  }
  throw new AppError('METADATA_INVALID', `The root element is ${root.localName}, not an md:EntityDescriptor.`);
}

/** Every endpoint of one kind, in document order (SAML Metadata 2.2.2). */
function readEndpoints(descriptor: Element, localName: string): Endpoint[] {
  return childElements(descriptor, NS.md, localName).flatMap((el) => {
    const binding = readAttribute(el, 'Binding')?.trim();
    const location = readAttribute(el, 'Location')?.trim();
    if (!binding || !location) return [];
    // A Login or Logout URL is where browsers are sent: anything but http(s) (javascript:, data:, file:)
    // in an IdP's metadata is hostile or broken, never something to store.
    if (!/^https?:\/\//i.test(location)) {
      throw new AppError('METADATA_INVALID', `The ${localName} Location "${location.slice(0, 80)}" is not an http(s) URL.`);
    }
    return [{ binding, location }];
  });
}

/**
 * Certificates from KeyDescriptors (SAML Metadata 2.4.1.1): use="signing" and no use count as
 * signing, use="encryption" (and no use) as encryption. Duplicates are dropped, order kept.
 */
function readKeyDescriptors(descriptor: Element): { signing: CertificateInfo[]; encryption: CertificateInfo[] } {
  const signing = new Map<string, CertificateInfo>();
  const encryption = new Map<string, CertificateInfo>();
  for (const key of childElements(descriptor, NS.md, 'KeyDescriptor')) {
    const use = readAttribute(key, 'use');
    for (const keyInfo of childElements(key, NS.ds, 'KeyInfo')) {
      for (const data of childElements(keyInfo, NS.ds, 'X509Data')) {
        for (const certEl of childElements(data, NS.ds, 'X509Certificate')) {
          const info = describeCertificateIn(readText(certEl));
          if (use === null || use === 'signing') signing.set(info.thumbprint, signing.get(info.thumbprint) ?? info);
          if (use === null || use === 'encryption') encryption.set(info.thumbprint, encryption.get(info.thumbprint) ?? info);
        }
      }
    }
  }
  return { signing: [...signing.values()], encryption: [...encryption.values()] };
}

function describeCertificateIn(text: string): CertificateInfo {
  try {
    return describeCertificate(text);
  } catch (err) {
    throw new AppError('METADATA_INVALID', 'A KeyDescriptor holds an X509Certificate that is not a valid certificate.', { cause: err });
  }
}

/** Entra's tenant-wide metadata path is the same as the app's, without ?appid=. */
function isTenantWideEntraUrl(sourceUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(sourceUrl);
  } catch {
    return false;
  }
  if (!/\/federationmetadata\/2007-06\/federationmetadata\.xml$/i.test(url.pathname)) return false;
  return ![...url.searchParams.keys()].some((k) => foldAsciiCase(k) === 'appid');
}

function parseDocument(xml: string, maxBytes: number, limits: Partial<XmlLimits>): { doc: Document; text: string; hadBom: boolean } {
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new AppError('METADATA_TOO_LARGE', undefined, { details: { maxBytes } });
  }
  const { text, hadBom } = stripBom(xml);
  try {
    return { doc: parseXmlSafely(text, { maxBytes, limits: { ...DEFAULT_METADATA_XML_LIMITS, ...limits } }), text, hadBom };
  } catch (err) {
    if (!(err instanceof XmlSafetyError)) throw err;
    if (err.code === 'SP_PAYLOAD_TOO_LARGE') throw new AppError('METADATA_TOO_LARGE', undefined, { details: { maxBytes } });
    if (err.code === 'SP_PAYLOAD_TOO_DEEP' || err.code === 'SP_PAYLOAD_TOO_WIDE') {
      // The limit, its value and the element, as the XML refusal gave them.
      throw new AppError('METADATA_TOO_COMPLEX', err.message, { details: { reason: err.code, ...(err.details as object) }, cause: err });
    }
    throw new AppError('METADATA_INVALID', undefined, { details: { reason: err.code }, cause: err });
  }
}

function checkCertificates(certs: CertificateInfo[], now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const cert of certs) {
    if (now.getTime() > Date.parse(cert.notAfter)) {
      findings.push(buildFinding('METADATA_CERT_EXPIRED', 'warn', `Signing certificate ${cert.thumbprint} expired on ${cert.notAfter}.`));
    } else if (now.getTime() < Date.parse(cert.notBefore)) {
      findings.push(
        buildFinding('METADATA_CERT_NOT_YET_VALID', 'warn', `Signing certificate ${cert.thumbprint} is valid only from ${cert.notBefore}.`),
      );
    }
  }
  return findings;
}

/**
 * Parses IdP metadata (SAML Metadata 2.3.2 EntityDescriptor, 2.4.3 IDPSSODescriptor) and verifies
 * its enveloped signature against the certificates it lists. Throws AppError METADATA_TOO_LARGE,
 * METADATA_TOO_COMPLEX (deeper or wider than the XML limits), METADATA_INVALID (not XML, a DTD,
 * wrong root), METADATA_NO_IDP or METADATA_NO_SIGNING_CERT;
 * everything softer is a Finding.
 */
export function parseIdpMetadata(xml: string, options: ParseIdpMetadataOptions): IdpMetadata {
  const { doc, hadBom } = parseDocument(xml, options.maxBytes ?? DEFAULT_MAX_XML_BYTES, options.xmlLimits ?? {});
  const root = doc.documentElement;
  const entity = selectIdpEntity(root);
  const entityId = readEntityId(entity);
  const idp = findIdpDescriptor(entity);
  if (!idp) throw new AppError('METADATA_NO_IDP');
  const { signing, encryption } = readKeyDescriptors(idp);
  if (signing.length === 0) throw new AppError('METADATA_NO_SIGNING_CERT');

  // Entra signs the root; an aggregate may leave its root unsigned and sign the entity instead.
  const signedElement = childElements(root, NS.ds, 'Signature').length > 0 ? root : entity;
  const documentSignature = verifyEnvelopedSignature(doc, signedElement, signing);

  const findings: Finding[] = [];
  const tenantWide = readTenantWideEvidence(signing, Boolean(options.sourceUrl && isTenantWideEntraUrl(options.sourceUrl)));
  if (tenantWide.length > 0) {
    findings.push(
      buildFinding('METADATA_TENANT_WIDE', 'warn', `${describeError('METADATA_TENANT_WIDE').message} Evidence: ${tenantWide.join('; ')}.`),
    );
  }
  if (!documentSignature.present) findings.push(buildFinding('METADATA_UNSIGNED', 'info'));
  else if (!documentSignature.verified) findings.push(buildFinding('METADATA_SIGNATURE_INVALID', 'warn'));
  findings.push(...checkCertificates(signing, options.now));

  return {
    entityId,
    tenantId: readEntraTenantId(entityId),
    ssoEndpoints: readEndpoints(idp, 'SingleSignOnService'),
    sloEndpoints: readEndpoints(idp, 'SingleLogoutService'),
    signingCertificates: signing,
    encryptionCertificates: encryption,
    documentSignature,
    hadBom,
    documentId: readAttribute(root, 'ID') ?? readAttribute(entity, 'ID'),
    validUntil: readAttribute(root, 'validUntil') ?? readAttribute(entity, 'validUntil'),
    findings,
  };
}
