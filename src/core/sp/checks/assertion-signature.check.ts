import { describeCheck } from './check-context.js';
import { buildElementSignatureCheck } from './element-signature.js';

const check = describeCheck(
  'assertion-signature',
  'Assertion signature verifies, when present',
  'XML-DSig 3.2; SAML Core 5.4; Profiles 4.1.3.5',
);

/**
 * A signature on the consumed saml:Assertion (Entra's default, "Sign SAML assertion") verifies over
 * that very element — after decryption when it arrived encrypted — with one of the profile's certificates.
 */
export const checkAssertionSignature = buildElementSignatureCheck('assertion', check);
