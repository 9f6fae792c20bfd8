import { z } from 'zod';

/** Deliberately loose: one @, a dot in the domain, no spaces or angle brackets. */
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export const emailSchema = z.string().trim().max(320).regex(EMAIL, 'must be an email address such as b.simon@contoso.com');

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
