/**
 * Which sign-in attempts the sign-in logs record, and what each records: a request refused before
 * anyone signs in (700016, 50011, 7500529 …), a credentials page shown again (50034, 50126, 50057),
 * a refused second factor (500121), and every answer of completeSignIn (success, 7000112, 50105,
 * 75011, an error Response). Each returns the ids Entra's error page must show for the same attempt.
 */
import { AppError, type ErrorCode } from '../errors.js';
import { describeSignInMethod } from './aadsts.js';
import type { IdpUser } from './directory.js';
import type { IdpContext } from './idp-context.js';
import { recordSignInAttempt, type SignInAttemptIds } from './sign-in-log.js';
import type { CredentialsProblem, PendingStep } from './sign-in-steps.js';
import type { PendingSignIn, SignedInUser } from './sso.js';

/** The catalogue code a credentials page shown again stands for (Entra's sErrorCode). */
export const CREDENTIALS_PROBLEM_CODES: Readonly<Record<CredentialsProblem, ErrorCode>> = {
  'unknown-user': 'IDP_AADSTS50034',
  'wrong-password': 'IDP_BAD_CREDENTIALS',
  'account-disabled': 'IDP_AADSTS50057',
};

async function readApp(ctx: IdpContext, appId: string | null): Promise<{ appId: string; displayName: string | null } | null> {
  if (appId === null) return null;
  const app = await ctx.stores.apps.get(appId);
  return { appId, displayName: app?.displayName ?? null };
}

function readDetailsAppId(error: AppError): string | null {
  const details = error.details as { appId?: unknown } | undefined;
  return typeof details?.appId === 'string' ? details.appId : null;
}

/** A request refused before sign-in, in `tenantId` (the app is the one the error names, if any). */
export async function recordRefusedRequest(ctx: IdpContext, tenantId: string, error: AppError): Promise<SignInAttemptIds> {
  return recordSignInAttempt(ctx, {
    tenantId,
    user: null,
    app: await readApp(ctx, readDetailsAppId(error)),
    error,
    authenticationMethod: null,
  });
}

/**
 * A credentials page shown again. The tenant is the step's, or for My Apps the named user's; with
 * neither there is no tenant's log to write to (null).
 */
export async function recordCredentialsProblem(
  ctx: IdpContext,
  step: PendingStep,
  attempt: { loginfmt: string; user: IdpUser | null; problem: CredentialsProblem },
): Promise<SignInAttemptIds | null> {
  const named = attempt.user ?? (attempt.loginfmt === '' ? null : await ctx.stores.users.findByUpnAnyTenant(attempt.loginfmt));
  const tenantId = step.target === 'sso' ? step.signIn.tenantId : (named?.tenantId ?? null);
  if (tenantId === null) return null;
  const inTenant = named !== null && named.tenantId === tenantId ? named : null;
  const user = inTenant
    ? { userPrincipalName: inTenant.userPrincipalName, objectId: inTenant.objectId }
    : attempt.loginfmt === ''
      ? null
      : { userPrincipalName: attempt.loginfmt, objectId: null };
  return recordSignInAttempt(ctx, {
    tenantId,
    user,
    app: await readApp(ctx, step.target === 'sso' ? step.signIn.appId : null),
    error: new AppError(CREDENTIALS_PROBLEM_CODES[attempt.problem]),
    authenticationMethod: attempt.problem === 'unknown-user' ? null : describeSignInMethod('password'),
  });
}

/** An SSO answer (or a refusal after the user is known): success when `error` is null. */
export async function recordSignInOutcome(
  ctx: IdpContext,
  signIn: PendingSignIn,
  who: SignedInUser | null,
  error: AppError | null,
): Promise<SignInAttemptIds> {
  return recordSignInAttempt(ctx, {
    tenantId: signIn.tenantId,
    user: who ? { userPrincipalName: who.userPrincipalName, objectId: who.objectId } : null,
    app: await readApp(ctx, signIn.appId),
    error,
    authenticationMethod: who ? describeSignInMethod(who.authMethod) : null,
  });
}

/** A refusal of a user mid-sign-in that has no SSO step to answer (My Apps): recorded in the user's tenant. */
export async function recordUserRefusal(ctx: IdpContext, step: PendingStep, who: SignedInUser, error: AppError): Promise<SignInAttemptIds> {
  if (step.target === 'sso') return recordSignInOutcome(ctx, step.signIn, who, error);
  return recordSignInAttempt(ctx, {
    tenantId: who.tenantId,
    user: { userPrincipalName: who.userPrincipalName, objectId: who.objectId },
    app: null,
    error,
    authenticationMethod: describeSignInMethod(who.authMethod),
  });
}
