import { z } from 'zod';
import { isValidAccountCode } from '../../core/sp/accounts.js';
import { REGION_CODES, type RegionCode } from '../../core/sp/regions.js';
import type { ValidationProblem } from './validate.js';

/** A DNS name of two labels or more, lower case (applied before the test), no trailing dot. */
const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Account codes are given exactly as Mimecast prints them; lower case is refused, not fixed up. */
export const accountCodeSchema = z.string().superRefine((code, ctx) => {
  if (isValidAccountCode(code)) return;
  const upper = code.toUpperCase();
  ctx.addIssue({
    code: 'custom',
    message: isValidAccountCode(upper)
      ? `must be upper case, as Mimecast prints it: ${upper}`
      : 'must be a Mimecast account code: C, then upper-case letters and digits, e.g. CUK12A34',
  });
});

export const regionSchema = z.enum(REGION_CODES as [RegionCode, ...RegionCode[]], {
  error: `must be one of ${REGION_CODES.join(', ')}`,
});

export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(DNS_NAME, 'must be a DNS name such as contoso.com');

/** Domains, lower-cased and de-duplicated in the order given. */
export const domainListSchema = z
  .array(domainSchema)
  .max(100)
  .transform((domains) => [...new Set(domains)]);

export const accountNameSchema = z.string().trim().min(1, 'must not be empty').max(200);

/** POST /api/accounts. `name` defaults to the code; `domains` may be added later with PATCH. */
export const createAccountSchema = z.strictObject({
  code: accountCodeSchema,
  region: regionSchema,
  name: accountNameSchema.optional(),
  domains: domainListSchema.default([]),
});

/** PATCH /api/accounts/:code. The code itself never changes. */
export const patchAccountSchema = z.strictObject({
  region: regionSchema.optional(),
  name: accountNameSchema.optional(),
  domains: domainListSchema.optional(),
});

/** A hint that names the fix when the only trouble with the code is its case. */
export function suggestAccountCodeHint(input: unknown): (problems: ValidationProblem[]) => string | undefined {
  return (problems) => {
    const code = (input as { code?: unknown } | null)?.code;
    if (!problems.some((p) => p.path === 'code') || typeof code !== 'string') return undefined;
    const upper = code.toUpperCase();
    return code !== upper && isValidAccountCode(upper) ? `Account codes are upper case: send "${upper}".` : undefined;
  };
}
