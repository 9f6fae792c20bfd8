/**
 * The package's public API: the app factories, the in-process harness and the helpers a team needs to
 * write its own SSO tests in a few lines (see README, "Your own tests").
 */

export { type Config, defaults } from './config/defaults.js';
export { loadConfig } from './config/load.js';
export { type Clock, createFrozenClock, systemClock } from './core/clock.js';
export { AppError, type ErrorCode, errorCodes } from './core/errors.js';
export { type BuiltResponse, buildEntraResponse, type EntraResponseInput, type SigningOption } from './core/idp/response-builder.js';
export { type AcsOutcome, consumeSamlResponse } from './core/sp/acs.js';
export type { SignedInSession } from './core/sp/context.js';
export { checkCapturedResponse, type OfflineCheckInput } from './core/sp/offline-check.js';
export type { CheckResult, Trace } from './core/sp/traces.js';
export { createIdpApp, type IdpAppDeps } from './http/idp/idp-app.js';
export { createSpApp, type SpAppDeps } from './http/sp-app.js';
export { type Harness, type HarnessOptions, startHarness } from './runtime/harness.js';
export { readKeyPair, readSpKeys } from './runtime/keys.js';
export { SEED } from './runtime/seed.js';
export { IDP_SEED } from './runtime/seed-idp.js';
export { type Form, type Page, readForms, TestBrowser } from './testing/browser.js';
export { type HarnessOverrides, startTestHarness } from './testing/harness.js';
export {
  type Credentials,
  type SignInResult,
  type SignInTarget,
  signInIdpInitiated,
  signInSpInitiated,
  walkToSp,
} from './testing/sign-in.js';
