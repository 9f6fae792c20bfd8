import { describeCheck } from './check-context.js';
import { buildElementSignatureCheck } from './element-signature.js';

const check = describeCheck(
  'response-signature',
  'Response signature verifies, when present',
  'XML-DSig 3.2; SAML Core 5.4; Profiles 4.1.3.5',
);

/**
 * A signature on the samlp:Response (Entra's "Sign SAML response" options) verifies over the Response
 * as received, with one of the profile's certificates. A present signature that does not verify
 * refuses the sign-in even when the assertion's own signature is good: the Response was altered.
 */
export const checkResponseSignature = buildElementSignatureCheck('response', check);
