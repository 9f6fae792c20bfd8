/**
 * Names the mock Entra needs beyond the shared SAML constants in ../saml/constants.ts: XML-Enc
 * algorithm URIs for assertion encryption, and Entra's defaults for a response.
 */
import { ALGORITHM, AUTHN_CONTEXT, ENTRA_AUTHN_METHOD, NAMEID_FORMAT } from '../saml/constants.js';

/** XML Encryption 1.1 namespace, where the GCM block ciphers live (XML-Enc 1.1 section 5.2.4). */
export const XENC11_NS = 'http://www.w3.org/2009/xmlenc11#';

/** XML-Enc `Type` of an EncryptedData that replaces a whole element (XML-Enc 1.0 section 3.5.1). */
export const XENC_TYPE_ELEMENT = 'http://www.w3.org/2001/04/xmlenc#Element';

/** Block ciphers for EncryptedData, keyed by a short name (XML-Enc 1.0 5.2, XML-Enc 1.1 5.2.4). */
export const BLOCK_CIPHER = {
  'aes128-cbc': { uri: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc', node: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 },
  'aes256-cbc': { uri: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc', node: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 },
  'aes128-gcm': { uri: `${XENC11_NS}aes128-gcm`, node: 'aes-128-gcm', keyBytes: 16, ivBytes: 12 },
  'aes256-gcm': { uri: `${XENC11_NS}aes256-gcm`, node: 'aes-256-gcm', keyBytes: 32, ivBytes: 12 },
} as const;
export type BlockCipherName = keyof typeof BLOCK_CIPHER;

/** Key transport algorithms for EncryptedKey (XML-Enc 1.0 section 5.4). */
export const KEY_TRANSPORT = {
  'rsa-oaep-mgf1p': 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'rsa-1_5': 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;
export type KeyTransportName = keyof typeof KEY_TRANSPORT;

/** Signature and digest URIs for the two algorithms Entra's "Signing Algorithm" offers. */
export const SIGNING_ALGORITHM = {
  sha256: { signature: ALGORITHM.rsaSha256, digest: ALGORITHM.sha256 },
  sha1: { signature: ALGORITHM.rsaSha1, digest: ALGORITHM.sha1 },
} as const;
export type SigningAlgorithmName = keyof typeof SIGNING_ALGORITHM;

/**
 * What an untouched Entra enterprise app puts in a response. The confirmation lifetime equals the
 * token lifetime: captured Entra responses carry the same instant in SubjectConfirmationData
 * NotOnOrAfter and Conditions NotOnOrAfter (issue + 60 min); the 5-minute value in Microsoft's
 * 2013-era protocol sample is not what the service emits today.
 */
export const ENTRA_DEFAULTS = {
  nameIdFormat: NAMEID_FORMAT.emailAddress,
  authnContextClassRef: AUTHN_CONTEXT.password,
  authnMethodsReferences: [ENTRA_AUTHN_METHOD.password] as readonly string[],
  notBeforeSkewMs: 5 * 60_000,
  lifetimeMs: 60 * 60_000,
  blockCipher: 'aes256-cbc' as BlockCipherName,
  keyTransport: 'rsa-oaep-mgf1p' as KeyTransportName,
} as const;
