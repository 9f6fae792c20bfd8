/**
 * The package's public API: the app factories, the in-process harness and the helpers a team needs to
 * write its own SSO tests in a few lines (see README, "Your own tests").
 */
export { createSpApp, type SpAppDeps } from './http/sp-app.js';
export { createIdpApp, type IdpAppDeps } from './http/idp/idp-app.js';
export { startHarness, type Harness, type HarnessOptions } from './runtime/harness.js';
export { startTestHarness, type HarnessOverrides } from './testing/harness.js';
export { TestBrowser, readForms, type Page, type Form } from './testing/browser.js';
export { signInSpInitiated, signInIdpInitiated, walkToSp, type SignInResult, type SignInTarget, type Credentials } from './testing/sign-in.js';
export { buildEntraResponse, type EntraResponseInput, type BuiltResponse, type SigningOption } from './core/idp/response-builder.js';
export { checkCapturedResponse, type OfflineCheckInput } from './core/sp/offline-check.js';
export { consumeSamlResponse, type AcsOutcome } from './core/sp/acs.js';
export { loadConfig } from './config/load.js';
export { defaults, type Config } from './config/defaults.js';
export { createFrozenClock, systemClock, type Clock } from './core/clock.js';
export { AppError, errorCodes, type ErrorCode } from './core/errors.js';
export { readKeyPair, readSpKeys } from './runtime/keys.js';
export { IDP_SEED } from './runtime/seed-idp.js';
export { SEED } from './runtime/seed.js';
export type { CheckResult, Trace } from './core/sp/traces.js';
export type { SignedInSession } from './core/sp/context.js';
