import { z } from 'zod';
import { foldAsciiCase, upperAsciiCase } from '../../core/saml/ascii-case.js';
import { isDomainName, MAX_DOMAIN_LENGTH } from '../../core/saml/email-address.js';
import { isValidAccountCode } from '../../core/sp/accounts.js';
import { REGION_CODES, type RegionCode } from '../../core/sp/regions.js';
import type { ValidationProblem } from './validate.js';

/** Account codes are given exactly as Mimecast prints them; lower case is refused, not fixed up. */
export const accountCodeSchema = z.string().superRefine((code, ctx) => {
  if (isValidAccountCode(code)) return;
  const upper = upperAsciiCase(code);
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

/**
 * A DNS name of two labels or more, no trailing dot, kept lower case. Only A–Z are folded (zod's
 * toLowerCase would turn U+212A KELVIN SIGN into "k" and let a look-alike through as an ASCII name).
 */
export const domainSchema = z
  .string()
  .trim()
  .overwrite(foldAsciiCase)
  .max(MAX_DOMAIN_LENGTH, { abort: true, message: 'must be a DNS name such as contoso.com' })
  .refine(isDomainName, 'must be a DNS name such as contoso.com');

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
    const upper = upperAsciiCase(code);
    return code !== upper && isValidAccountCode(upper) ? `Account codes are upper case: send "${upper}".` : undefined;
  };
}
