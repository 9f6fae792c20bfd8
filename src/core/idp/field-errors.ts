/**
 * What the admin console's forms refuse, field by field: a stable code (for tests and scripts), the
 * text shown beside the field, and the row for fields that repeat (Identifier, Reply URL).
 */

/** Why a field was refused. */
export type FieldErrorCode =
  | 'required'
  | 'invalid-uri'
  | 'invalid-url'
  | 'insecure-scheme'
  | 'too-long'
  | 'duplicate'
  | 'in-use'
  | 'invalid-choice'
  | 'invalid-email'
  | 'invalid-certificate'
  | 'invalid-upn'
  | 'domain-not-verified'
  | 'user-exists'
  | 'weak-password'
  | 'none-selected'
  | 'invalid-domain'
  | 'password-reused'
  | 'not-temporary'
  | 'unknown-user'
  | 'no-file'
  | 'file-too-large'
  | 'not-metadata'
  | 'no-sp-descriptor'
  | 'no-post-acs';

/** One refused field; `index` is the form row for repeated fields. */
export interface FieldError {
  field: string;
  index?: number;
  code: FieldErrorCode;
  message: string;
  /** How to fix it, when the field's own hint does not say. */
  hint?: string;
}

/** The result of a console save: the saved value, or every refused field at once. */
export type FormOutcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Builds a FieldError (the row only when given, so the type stays exact). */
export function buildFieldError(field: string, code: FieldErrorCode, message: string, index?: number): FieldError {
  return index === undefined ? { field, code, message } : { field, index, code, message };
}

/** The key a form uses to find a field's error: `field` or `field.<row>`. */
export function keyFieldError(error: Pick<FieldError, 'field' | 'index'>): string {
  return error.index === undefined ? error.field : `${error.field}.${error.index}`;
}
