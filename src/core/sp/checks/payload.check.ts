import { AppError } from '../../errors.js';
import type { CheckResult } from '../traces.js';
import { describeCheck } from './check-context.js';

/** The first rule of every message: it decodes and parses safely, as a samlp:Response. */
export const payloadCheck = describeCheck('payload', 'Message decodes to a SAML Response', 'SAML Bindings 3.5.4; Core 3.2.2');

/** The payload result for a refusal thrown while decoding, parsing or evaluating a message. */
export function describePayloadFailure(
  error: unknown,
  fallback: 'SP_PAYLOAD_MALFORMED_XML' | 'SP_EVALUATION_FAILED' = 'SP_PAYLOAD_MALFORMED_XML',
): CheckResult {
  if (error instanceof AppError) return payloadCheck.fail(error.code, { received: error.message });
  const received = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : undefined;
  return payloadCheck.fail(fallback, { received });
}
