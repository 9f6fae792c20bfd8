import { STATUS } from '../../saml/constants.js';
import type { CheckResult } from '../traces.js';
import { checkAccount } from './account.check.js';
import { checkAssertionSignature } from './assertion-signature.check.js';
import { checkAudience } from './audience.check.js';
import { checkAuthnContext } from './authn-context.check.js';
import { checkAuthnStatement } from './authn-statement.check.js';
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
import { checkSignature } from './signature.check.js';
import { checkSignatureAlgorithm } from './signature-algorithm.check.js';
import { checkSingleAssertion } from './single-assertion.check.js';
import { checkStatus } from './status.check.js';
import { checkSubjectConfirmation } from './subject-confirmation.check.js';
import { checkTimestamps } from './timestamps.check.js';
import { checkVersion } from './version.check.js';

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

/** Checks that judge the exchange a Success answers; after a refusal there is no answer to judge. */
const ANSWER_CHECKS = new Set(['audience', 'in-response-to', 'idp-initiated']);

/** Checks that read the assertion (or its signature); a refusal normally carries none. */
const ASSERTION_CHECKS = new Set([
  'single-assertion',
  'assertion-signature',
  'signature',
  'signature-algorithm',
  'certificate-validity',
  'node-saml',
  'subject-confirmation',
  'recipient',
  'timestamps',
  'replay',
  'name-id',
  'directory-user',
  'authn-statement',
  'authn-context',
]);

/**
 * Why a check does not apply to a response whose Status is not Success (SAML Core 3.2.2.2: the IdP
 * refused, so the status check is the finding), or null when it applies. Sign-in fails on the status
 * check either way, so marking the others "not applicable" hides no refusal.
 */
function explainNotApplicable(id: string, ctx: CheckContext): string | null {
  const code = ctx.facts.status.code;
  if (!code || code === STATUS.success) return null;
  const refused = `Not applicable: the IdP answered ${code.slice(code.lastIndexOf(':') + 1)} (see "Status is Success")`;
  if (ANSWER_CHECKS.has(id)) return `${refused}, so there is no sign-in to match to a request, an Audience or "Allow Single Sign On".`;
  if (ASSERTION_CHECKS.has(id) && !ctx.facts.assertion) return `${refused} and sent no assertion to verify.`;
  // Entra's error responses leave Destination out; one that names another ACS still fails.
  if (id === 'destination' && ctx.facts.destination === null) return `${refused}; an error response may leave Destination out.`;
  return null;
}

/** Runs every check and keeps every result; sign-in succeeds only when none failed. */
export function runChecks(ctx: CheckContext): CheckResult[] {
  return CHECKS.map((check) => {
    const result = check(ctx);
    const reason = explainNotApplicable(result.id, ctx);
    return reason === null ? result : { id: result.id, title: result.title, specRef: result.specRef, status: 'skip', message: reason };
  });
}

export type { Check, CheckContext } from './check-context.js';
