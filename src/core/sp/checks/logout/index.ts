/**
 * The rules a logout message must meet at the SP's /logout/saml (SAML Profiles 4.4, Bindings 3.4),
 * one named check a file, reported like the ACS checks. A logout message is read in two steps:
 * {@link readLogoutMessage} decodes and parses it safely, then the checks judge what it says.
 */
export { checkLogoutDestination } from './destination.check.js';
export { checkLogoutExpiry } from './expiry.check.js';
export { checkLogoutInResponseTo } from './in-response-to.check.js';
export { checkLogoutIssuer, expectLogoutIssuer } from './issuer.check.js';
export type { LogoutCheckContext } from './logout-context.js';
export { type ReadLogoutMessage, readLogoutMessage } from './payload.check.js';
export { checkLogoutPrincipal } from './principal.check.js';
export { checkLogoutSignature } from './signature.check.js';
export { checkLogoutStatus } from './status.check.js';
