import { checkAccount } from './account.check.js';
import { checkAssertionSignature } from './assertion-signature.check.js';
import { checkAudience } from './audience.check.js';
import { checkAuthnStatement } from './authn-statement.check.js';
import { checkAuthnContext } from './authn-context.check.js';
import { checkCertificateValidity } from './certificate-validity.check.js';
import type { Check, CheckContext } from './check-context.js';
import { checkDestination } from './destination.check.js';
import { checkDirectoryUser } from './directory-user.check.js';
import { checkEncryption } from './encryption.check.js';
import { checkIdpInitiated } from './idp-initiated.check.js';
import { checkInResponseTo } from './in-response-to.check.js';
import { checkIssuer } from './issuer.check.js';
import { checkNameId } from './name-id.check.js';
import { checkNodeSaml } from './node-saml.check.js';
import { checkRecipient } from './recipient.check.js';
import { checkReplay } from './replay.check.js';
import { checkResponseSignature } from './response-signature.check.js';
import { checkSignatureAlgorithm } from './signature-algorithm.check.js';
import { checkSignature } from './signature.check.js';
import { checkSingleAssertion } from './single-assertion.check.js';
import { checkStatus } from './status.check.js';
import { checkSubjectConfirmation } from './subject-confirmation.check.js';
import { checkTimestamps } from './timestamps.check.js';
import { checkVersion } from './version.check.js';
import type { CheckResult } from '../traces.js';

/** Every rule, in report order: who the response is for, whether it is genuine, then whether it fits. */
export const CHECKS: readonly Check[] = [
  checkAccount,
  checkVersion,
  checkStatus,
  checkIssuer,
  checkDestination,
  checkEncryption,
  checkSingleAssertion,
  checkResponseSignature,
  checkAssertionSignature,
  checkSignature,
  checkSignatureAlgorithm,
  checkCertificateValidity,
  checkNodeSaml,
  checkSubjectConfirmation,
  checkRecipient,
  checkTimestamps,
  checkAudience,
  checkInResponseTo,
  checkIdpInitiated,
  checkReplay,
  checkNameId,
  checkDirectoryUser,
  checkAuthnStatement,
  checkAuthnContext,
];

/** Runs every check and keeps every result; sign-in succeeds only when none failed. */
export function runChecks(ctx: CheckContext): CheckResult[] {
  return CHECKS.map((check) => check(ctx));
}

export type { Check, CheckContext } from './check-context.js';
