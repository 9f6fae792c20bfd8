/**
 * The settings every evaluation of a SAML response reads — the ACS, `mock-mimecast check`, the
 * node-saml gate and the conformance runner alike — so a capture checked offline is judged by the
 * same limits as at the ACS. Built from the configuration by `readValidationSettings`
 * (src/config/validation.ts); the defaults live in src/config/defaults.ts.
 */
export interface ValidationSettings {
  /** Tolerated clock difference between the IdP and this machine. */
  clockSkewMs: number;
  /** Decoded SAMLResponse size limit. */
  maxSamlBytes: number;
  /** SHA-1 signatures fail instead of warning. */
  refuseSha1: boolean;
}
