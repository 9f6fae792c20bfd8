/**
 * "Update your password", the sign-in page Entra shows after a temporary password: the current
 * (temporary) password again, the new one twice. This judges a submitted form for the user waiting
 * on the page and, when nothing is refused, stores the new password through updateTemporaryPassword
 * (which clears the temporary flag in the same write). Nothing is stored on a refusal.
 */
import { verifySignInPassword } from './credentials.js';
import { isPasswordComplex } from './directory.js';
import type { IdpContext } from './idp-context.js';
import type { PasswordUpdateProblem, PasswordUpdateResult } from './sign-in-step-types.js';
import type { SignedInUser } from './sso.js';
import { updateTemporaryPassword } from './temporary-password.js';

/** The three fields of "Update your password", as typed. */
export interface PasswordUpdateForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const refuse = (problem: PasswordUpdateProblem): PasswordUpdateResult => ({ ok: false, problem });

/**
 * The verdict on the form, checked in the order the page reads: the current password must be the
 * user's (wrong-current-password), the new one must meet Entra's complexity rule (weak-password),
 * the confirmation must repeat it (password-mismatch), and it must not be the current one
 * (password-reused). Null when the user's password is no longer temporary (updated meanwhile):
 * there is nothing left to update.
 */
export async function submitPasswordUpdate(
  ctx: IdpContext,
  who: SignedInUser,
  form: PasswordUpdateForm,
): Promise<PasswordUpdateResult | null> {
  const proven = await verifySignInPassword(ctx, who.tenantId, who.userPrincipalName, form.currentPassword);
  if (proven === null || proven.objectId !== who.objectId) return refuse('wrong-current-password');
  if (!isPasswordComplex(form.newPassword)) return refuse('weak-password');
  if (form.confirmPassword !== form.newPassword) return refuse('password-mismatch');
  // The hash normalises to NFC, so the same password typed in another normal form is the same one.
  if (form.newPassword.normalize('NFC') === form.currentPassword.normalize('NFC')) return refuse('password-reused');
  const outcome = await updateTemporaryPassword(ctx, who.tenantId, who.objectId, form.newPassword);
  if (outcome.ok) return { ok: true };
  const code = outcome.errors[0]?.code;
  if (code === 'weak-password' || code === 'password-reused') return refuse(code);
  return null;
}
