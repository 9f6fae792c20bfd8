import { z } from 'zod';
import { tracePageQuerySchema } from './trace.schemas.js';

/** A datetime-local box sends "2027-03-01T10:00" (no zone); the SSO log shows and filters in UTC. */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** An empty box means "no filter". */
const treatEmptyAsAbsent = (value: unknown): unknown => (value === '' ? undefined : value);

/** A time from the filter form as an ISO timestamp: a datetime-local value read as UTC, or a full ISO time. */
const filterTimeSchema = z.preprocess(
  treatEmptyAsAbsent,
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const iso = LOCAL_TIME.test(value) ? `${value}Z` : value;
      const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: 'custom', message: 'must be a time such as 2027-03-01T09:00 (UTC) or 2027-03-01T09:00:00+01:00' });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    })
    .optional(),
);

/** GET /traces, the SSO log's filters: account, outcome, and a time window (inclusive, UTC). */
export const consoleTracesQuerySchema = tracePageQuerySchema
  .extend({ since: filterTimeSchema, until: filterTimeSchema })
  .superRefine((value, ctx) => {
    if (value.since !== undefined && value.until !== undefined && value.since > value.until) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before Since' });
    }
  });

/** The fix for each filter. */
export const TRACE_FILTER_HINTS: Record<string, string> = {
  account: 'Pick an account from the list, or "Any account".',
  outcome: 'Pick success, failure or sent, or "Any outcome".',
  since: 'Use the date and time picker, or type 2027-03-01T09:00 (read as UTC).',
  until: 'Use the date and time picker, or type 2027-03-01T17:00 (read as UTC); it must not be before Since.',
};
