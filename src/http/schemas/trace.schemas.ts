import { z } from 'zod';
import { accountCodeSchema } from './account.schemas.js';

export const traceOutcomeSchema = z.enum(['success', 'failure', 'sent'], { error: 'must be one of success, failure, sent' });
export const traceKindSchema = z.enum(['authn-request', 'response', 'logout-request', 'logout-response'], {
  error: 'must be one of authn-request, response, logout-request, logout-response',
});

const isoTimeSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2025-01-31T09:00:00Z' });

/** The largest page a list returns; traces carry every check, so pages stay modest. */
export const MAX_TRACE_LIMIT = 500;

/** GET /api/traces query. Unknown parameters are refused so a typo does not silently list everything. */
export const traceQuerySchema = z.strictObject({
  accountCode: accountCodeSchema.optional(),
  outcome: traceOutcomeSchema.optional(),
  kind: traceKindSchema.optional(),
  since: isoTimeSchema.optional(),
  until: isoTimeSchema.optional(),
  limit: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(MAX_TRACE_LIMIT).optional(),
});

/** A select left on "any" submits an empty value; it means "no filter". */
const treatEmptyAsAbsent = (value: unknown): unknown => (value === '' ? undefined : value);

/** GET /traces (the console list): the filter form's fields. Other parameters are ignored. */
export const tracePageQuerySchema = z.object({
  account: z.preprocess(treatEmptyAsAbsent, accountCodeSchema.optional()),
  outcome: z.preprocess(treatEmptyAsAbsent, traceOutcomeSchema.optional()),
});
