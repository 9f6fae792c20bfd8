import type { ErrorCode } from '../errors.js';

/** What we show of an X.509 certificate, in Entra's vocabulary (thumbprint = SHA-1, upper-case hex). */
export interface CertificateInfo {
  /** PEM, normalised (64-column base64, BEGIN/END CERTIFICATE lines). */
  pem: string;
  /** The DER as one base64 line, as it appears in X509Certificate elements. */
  base64: string;
  /** SHA-1 of the DER, upper-case hex without separators, as Entra's portal shows it. */
  thumbprint: string;
  /** SHA-256 of the DER, upper-case hex. */
  sha256: string;
  subject: string;
  issuer: string;
  /** ISO 8601. */
  notBefore: string;
  /** ISO 8601. */
  notAfter: string;
}

export interface Endpoint {
  /** Binding URI, e.g. urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect. */
  binding: string;
  location: string;
}

/** A warning or note about a document, with the fix. */
export interface Finding {
  code: ErrorCode;
  severity: 'error' | 'warn' | 'info';
  message: string;
  hint: string;
}

/** An IdP's metadata as the SP understands it, parsed from an EntityDescriptor. */
export interface IdpMetadata {
  entityId: string;
  /** Entra tenant id when the entityID has the https://sts.windows.net/<tenant-id>/ shape. */
  tenantId: string | null;
  ssoEndpoints: Endpoint[];
  sloEndpoints: Endpoint[];
  /** Every signing certificate in the IDPSSODescriptor, in document order (inactive ones too). */
  signingCertificates: CertificateInfo[];
  /** Certificates marked use="encryption", rarely present for Entra. */
  encryptionCertificates: CertificateInfo[];
  documentSignature: {
    present: boolean;
    /** True when the enveloped signature over the EntityDescriptor verifies with a certificate in the document. */
    verified: boolean;
    /** Thumbprint of the certificate that verified it. */
    verifiedBy: string | null;
    algorithm: string | null;
  };
  /** The document began with a UTF-8 byte order mark (Entra's do). */
  hadBom: boolean;
  /** Metadata ID attribute, if any. */
  documentId: string | null;
  validUntil: string | null;
  findings: Finding[];
}

/** One check's outcome: the unit of the report. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';
