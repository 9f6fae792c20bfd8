/**
 * Temporary passwords: "Require this user to change password at next sign-in". Every
 * auto-generated password is one (the user's passwordIsTemporary flag). After the user proves the
 * temporary password, the sign-in's "Update your password" step calls updateTemporaryPassword with
 * the new one: it must meet Entra's complexity rule and differ from the temporary one, and the flag
 * is cleared in the same write as the new hash.
 */
import { AppError } from '../errors.js';
import { type IdpUser, isPasswordComplex, NEW_USER_MESSAGES } from './directory.js';
import { buildFieldError, type FieldErrorCode, type FormOutcome } from './field-errors.js';
import type { IdpContext } from './idp-context.js';

/** The field the refusals name, as the "Update your password" form would call it. */
export const NEW_PASSWORD_FIELD = 'newPassword';

export const TEMPORARY_PASSWORD_MESSAGES = {
  weak: NEW_USER_MESSAGES.weakPassword,
  // Entra's exact wording is unconfirmed; kept here so it is easy to align.
  reused: "You can't reuse your current password. Choose a new one.",
  notTemporary: 'This password is not temporary, so there is nothing to update.',
} as const;

/** True while the user must change the password at the next sign-in. */
export function isPasswordTemporary(user: Pick<IdpUser, 'passwordIsTemporary'>): boolean {
  return user.passwordIsTemporary === true;
}

function refuse(code: FieldErrorCode, message: string): FormOutcome<IdpUser> {
  return { ok: false, errors: [buildFieldError(NEW_PASSWORD_FIELD, code, message)] };
}

/**
 * Replaces a user's temporary password with `newPassword` and clears passwordIsTemporary. Refused,
 * with nothing stored, as a field error on `newPassword`: 'weak-password' (not 8-256 characters from
 * three of the four classes), 'password-reused' (the temporary password again) or 'not-temporary'
 * (the user's password is not temporary). IDP_USER_NOT_FOUND when no such user exists.
 */
export async function updateTemporaryPassword(
  ctx: IdpContext,
  tenantId: string,
  objectId: string,
  newPassword: string,
): Promise<FormOutcome<IdpUser>> {
  const user = await ctx.stores.users.findByObjectId(tenantId, objectId);
  if (!user) throw new AppError('IDP_USER_NOT_FOUND', undefined, { details: { objectId } });
  if (!isPasswordTemporary(user)) return refuse('not-temporary', TEMPORARY_PASSWORD_MESSAGES.notTemporary);
  if (!isPasswordComplex(newPassword)) return refuse('weak-password', TEMPORARY_PASSWORD_MESSAGES.weak);
  if (await ctx.stores.users.verifyPassword(tenantId, user.userPrincipalName, newPassword)) {
    return refuse('password-reused', TEMPORARY_PASSWORD_MESSAGES.reused);
  }
  const { passwordIsTemporary: _cleared, ...rest } = user;
  return { ok: true, value: await ctx.stores.users.updatePassword(rest, newPassword) };
}
