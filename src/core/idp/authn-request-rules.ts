/**
 * What Entra refuses in an AuthnRequest before anyone signs in, from its SAML single sign-on protocol
 * doc: Version must be 2.0; a Subject is not supported; ProtocolBinding, when present, must be
 * HTTP-POST; a NameIDPolicy Format must be one of the four documented ones; a RequestedAuthnContext
 * Comparison must be `exact`. Which of these Entra shows with which AADSTS number is not all
 * publicly documented: where the catalogue entry has no number the wording is inferred.
 */
import { AppError } from '../errors.js';
import { BINDING, NAMEID_FORMAT } from '../saml/constants.js';
import type { ParsedAuthnRequest } from './authn-request.js';

/** The NameIDPolicy formats Entra's protocol doc lists; any other is refused. */
export const SUPPORTED_NAMEID_POLICY_FORMATS: readonly string[] = [
  NAMEID_FORMAT.emailAddress,
  NAMEID_FORMAT.persistent,
  NAMEID_FORMAT.transient,
  NAMEID_FORMAT.unspecified,
];

/**
 * Throws the AppError Entra's error page would show for the first rule the request breaks, in the
 * order the message is read (Version, Subject, ProtocolBinding, NameIDPolicy, Comparison).
 */
export function assertAuthnRequestSupported(request: ParsedAuthnRequest): void {
  if (request.version !== '2.0') {
    throw new AppError('IDP_AADSTS75005', `The AuthnRequest Version is '${request.version ?? '(none)'}'; Entra accepts only SAML 2.0.`, {
      details: { version: request.version },
    });
  }
  if (request.hasSubject) throw new AppError('IDP_AUTHN_REQUEST_SUBJECT');
  if (request.protocolBinding !== null && request.protocolBinding !== BINDING.httpPost) {
    throw new AppError('IDP_ACS75003', undefined, { details: { protocolBinding: request.protocolBinding } });
  }
  const format = request.nameIdPolicyFormat;
  if (format !== null && !SUPPORTED_NAMEID_POLICY_FORMATS.includes(format)) {
    throw new AppError('IDP_NAMEID_POLICY_UNSUPPORTED', undefined, { details: { format } });
  }
  const comparison = request.requestedAuthnContext?.comparison;
  if (comparison !== undefined && comparison !== 'exact') {
    throw new AppError('IDP_AUTHN_CONTEXT_COMPARISON_UNSUPPORTED', undefined, { details: { comparison } });
  }
}
