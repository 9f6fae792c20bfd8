import type { z } from 'zod';
import { AppError } from '../../core/errors.js';

/** One refused field, as VALIDATION_FAILED lists them in `details`. */
export interface ValidationProblem {
  path: string;
  problem: string;
}

/** Flattens zod issues into `{ path, problem }`, one entry per unknown key so each can be fixed. */
export function listValidationProblems(error: z.ZodError): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: [...base, key].join('.'), problem: 'unknown field; remove it' });
      continue;
    }
    problems.push({ path: base.length > 0 ? base.join('.') : '(body)', problem: issue.message });
  }
  return problems;
}

/**
 * Validates input against a schema and returns the parsed value, or throws VALIDATION_FAILED with
 * every problem in `details`. `hint` may replace the catalogue hint when the fix is obvious.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  hint?: (problems: ValidationProblem[]) => string | undefined,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = listValidationProblems(result.error);
  const specificHint = hint?.(problems);
  throw new AppError(
    'VALIDATION_FAILED',
    undefined,
    specificHint === undefined ? { details: problems } : { details: problems, hint: specificHint },
  );
}

/** T with keys that may be undefined made optional-without-undefined, the others left required. */
export type WithoutUndefined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * Drops keys whose value is undefined. zod's optional fields come out as `T | undefined`, which
 * exactOptionalPropertyTypes does not accept where a key is either present with a value or absent.
 */
export function dropUndefined<T extends Record<string, unknown>>(value: T): WithoutUndefined<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as WithoutUndefined<T>;
}

/**
 * A query's parameters without the empty ones: `?accountCode=` (a form left blank, a script with an
 * unset variable) means "not given", never a value to validate.
 */
export function dropEmptyQueryValues(query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, v] of Object.entries(query)) if (v !== '') out[key] = v;
  return out;
}
