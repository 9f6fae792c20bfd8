import { AppError, type ErrorCode } from '../errors.js';

/**
 * A refusal of unsafe or broken input: XML and both SAML bindings throw it. It is an AppError, so
 * the HTTP layer renders it like any other; `.code` is one of the SP_PAYLOAD_* (or
 * SAML_PAYLOAD_NOT_DEFLATE) codes, and callers that parse metadata map it to METADATA_* codes.
 */
export class XmlSafetyError extends AppError {
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(code, message, details === undefined ? {} : { details });
    this.name = 'XmlSafetyError';
  }
}
