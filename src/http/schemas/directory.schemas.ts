import { z } from 'zod';
import { isEmailAddress, MAX_EMAIL_LENGTH } from '../../core/saml/email-address.js';

/** Deliberately loose: one @, a dot in the domain, no spaces, quotes or angle brackets. */
const EMAIL_SYNTAX = { forbidden: '<>"' };

/**
 * zod runs a string's checks in order and keeps going after one fails unless it aborts, so the
 * length bound aborts before the address scan (which bounds the length again itself).
 */
export const emailSchema = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH, { abort: true, message: `must be at most ${MAX_EMAIL_LENGTH} characters` })
  .refine((value) => isEmailAddress(value, EMAIL_SYNTAX), 'must be an email address such as b.simon@contoso.com');

const roleSchema = z.string().trim().min(1, 'must not be empty').max(100);

/** "New Address": Email Address, Global Name, Password (optional, write-only), Force Change at Login, roles. */
export const createDirectoryUserSchema = z.strictObject({
  email: emailSchema,
  globalName: z.string().trim().max(200).optional(),
  password: z.string().min(1, 'must not be empty').max(256).optional(),
  forceChangeAtLogin: z.boolean().optional(),
  roles: z.array(roleSchema).max(20).optional(),
});

/** PATCH: the address itself and its password are not editable here. */
export const patchDirectoryUserSchema = z.strictObject({
  globalName: z.string().trim().max(200).optional(),
  forceChangeAtLogin: z.boolean().optional(),
  roles: z.array(roleSchema).max(20).optional(),
});
