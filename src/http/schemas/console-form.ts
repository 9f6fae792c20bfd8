/**
 * Reading the console's HTML forms: whatever a browser (or anyone) posts comes in as strings, arrays
 * of strings or nothing, and every refusal is shown beside its field. Nothing here throws.
 */
import type { z } from 'zod';
import type { ErrorCode } from '../../core/errors.js';
import { AppError } from '../../core/errors.js';

/** One problem shown beside a field: what is wrong, how to fix it, and its catalogue code. */
export interface FieldError {
  code: ErrorCode;
  message: string;
  hint: string;
}

/** Field name → the problem shown beside it. */
export type FieldErrors = Record<string, FieldError>;

/** The posted fields as a plain record (a body that is not a form reads as empty). */
export function readFormBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A text field: the first value when the name was repeated, '' when absent or not text. */
export function readFormText(form: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(form, name) ? form[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** A checkbox: ticked when the name was sent at all (an unticked box sends nothing). */
export function readFormCheckbox(form: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(form, name) && form[name] !== undefined;
}

/** A group of checkboxes sharing one name: every text value sent. */
export function readFormList(form: Record<string, unknown>, name: string): string[] {
  const value = Object.hasOwn(form, name) ? form[name] : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** A VALIDATION_FAILED problem for one field, with a hint that names the fix. */
export function buildFieldError(problem: string, hint: string, code: ErrorCode = 'VALIDATION_FAILED'): FieldError {
  return { code, message: problem.charAt(0).toUpperCase() + problem.slice(1), hint };
}

/** A catalogue error shown beside a field: its message and hint. */
export function toFieldError(error: AppError): FieldError {
  return { code: error.code, message: error.message, hint: error.hint };
}

/**
 * Validates with a schema and returns the value, or the problems by field (the first part of each
 * zod path; the first problem of a field wins). `hints` gives each field's fix.
 */
export function parseFormFields<S extends z.ZodType>(
  schema: S,
  input: unknown,
  hints: Record<string, string>,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    errors[field] ??= buildFieldError(issue.message, hints[field] ?? new AppError('VALIDATION_FAILED').hint);
  }
  return { ok: false, errors };
}
