/**
 * The mock Entra's sign-in logs (Identity › Monitoring & health › Sign-in logs): one entry for every
 * sign-in attempt that reaches a tenant, success or failure, with the Request Id and Correlation Id
 * that Entra's error page shows for the same attempt. The ids are made once, here, when the attempt
 * is judged, and handed back so the page prints exactly what the log keeps.
 *
 * The fields follow the admin center's columns and Microsoft Graph's signIn resource (createdDateTime,
 * userPrincipalName, appDisplayName, appId, status.errorCode, status.failureReason, correlationId).
 */
import type { AppError } from '../errors.js';
import { formatAadstsMessage, readAadstsNumber } from './aadsts.js';
import type { IdpContext } from './idp-context.js';
import type { SignInLogEntry } from './sign-in-log-entry.js';

/** The newest entries kept per tenant; older ones are dropped as new ones arrive. */
export const SIGN_IN_LOG_RETENTION = 1000;

export type { SignInLogEntry, SignInLogStatus } from './sign-in-log-entry.js';

/** What the page and the log share for one attempt. */
export interface SignInAttemptIds {
  requestId: string;
  correlationId: string;
  timestamp: string;
}

/** An attempt as the sign-in judged it. */
export interface SignInAttempt {
  tenantId: string;
  user: { userPrincipalName: string; objectId: string | null } | null;
  app: { appId: string; displayName: string | null } | null;
  /** Null for a success. */
  error: AppError | null;
  authenticationMethod: string | null;
}

/** The log entry for an attempt with its ids. Pure. */
export function buildSignInLogEntry(attempt: SignInAttempt, ids: SignInAttemptIds): SignInLogEntry {
  const aadsts = attempt.error === null ? null : readAadstsNumber(attempt.error.code);
  return {
    id: ids.requestId,
    tenantId: attempt.tenantId,
    createdDateTime: ids.timestamp,
    userPrincipalName: attempt.user?.userPrincipalName ?? null,
    userId: attempt.user?.objectId ?? null,
    appId: attempt.app?.appId ?? null,
    appDisplayName: attempt.app?.displayName ?? null,
    status: attempt.error === null ? 'Success' : 'Failure',
    errorCode: aadsts === null ? (attempt.error === null ? 0 : -1) : Number(aadsts),
    code: attempt.error?.code ?? null,
    failureReason: attempt.error === null ? null : formatAadstsMessage(attempt.error),
    authenticationMethod: attempt.authenticationMethod,
    requestId: ids.requestId,
    correlationId: ids.correlationId,
  };
}

/** Makes the attempt's Request Id and Correlation Id, keeps the entry, and returns the ids for the page. */
export async function recordSignInAttempt(ctx: IdpContext, attempt: SignInAttempt): Promise<SignInAttemptIds> {
  const ids: SignInAttemptIds = { requestId: ctx.ids.uuid(), correlationId: ctx.ids.uuid(), timestamp: ctx.clock.now().toISOString() };
  await ctx.stores.signInLogs.add(buildSignInLogEntry(attempt, ids), SIGN_IN_LOG_RETENTION);
  return ids;
}

/** The tenant's sign-in logs, newest first. */
export function listSignInLogs(ctx: IdpContext, tenantId: string, limit = SIGN_IN_LOG_RETENTION): Promise<SignInLogEntry[]> {
  return ctx.stores.signInLogs.list(tenantId, Math.max(1, Math.min(limit, SIGN_IN_LOG_RETENTION)));
}
