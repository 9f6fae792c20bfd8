/** One row of the mock Entra's sign-in logs: the store's port speaks it (ports.ts), sign-in-log.ts builds it. */
import type { ErrorCode } from '../errors.js';

export type SignInLogStatus = 'Success' | 'Failure';

/** One row of the sign-in logs. */
export interface SignInLogEntry {
  /** The entry's id: the attempt's Request Id, as in Entra. */
  id: string;
  tenantId: string;
  /** ISO instant of the attempt. */
  createdDateTime: string;
  /** The user as identified (the UPN typed when no user matched); null before anyone is named. */
  userPrincipalName: string | null;
  /** The user's object id; null when no user matched. */
  userId: string | null;
  appId: string | null;
  appDisplayName: string | null;
  status: SignInLogStatus;
  /** Entra's error code: 0 on success, the AADSTS number on failure (Graph's status.errorCode). */
  errorCode: number;
  /** The mock's catalogue code of the failure (IDP_AADSTS50126 …), null on success. */
  code: ErrorCode | null;
  /** "AADSTSnnnnn: <text>" on failure, null on success. */
  failureReason: string | null;
  /** How the user authenticated ("Password", "Windows Hello for Business" …); null before any factor. */
  authenticationMethod: string | null;
  requestId: string;
  correlationId: string;
}
