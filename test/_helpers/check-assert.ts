/**
 * Assertions on ACS outcomes by check id, status and error code (never by message text).
 */
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../src/core/errors.js';
import type { EntraResponseInput } from '../../src/core/idp/response-builder.js';
import type { CheckStatus } from '../../src/core/saml/types.js';
import { type AcsOutcome, consumeSamlResponse } from '../../src/core/sp/acs.js';
import type { SignedInSession } from '../../src/core/sp/context.js';
import type { CheckResult, Trace } from '../../src/core/sp/traces.js';
import { mutateResponseXml, toBase64 } from './idp-signer.js';
import { createTestSpCore, type TestSpCore } from './sp-core.js';
import { idp1 } from './test-keys.js';

/** The result of check `id` in a trace; fails the test when the trace has none. */
export function findCheck(trace: Trace | { checks: CheckResult[] }, id: string): CheckResult {
  const found = trace.checks.find((c) => c.id === id);
  assert.ok(found, `no check "${id}" in [${trace.checks.map((c) => c.id).join(', ')}]`);
  return found;
}

/** Asserts check `id` has `status` (and `code` when given); returns it for further assertions. */
export function assertCheck(
  result: AcsOutcome | Trace | { checks: CheckResult[] },
  id: string,
  status: CheckStatus,
  code?: ErrorCode,
): CheckResult {
  const trace = 'trace' in result ? result.trace : result;
  const check = findCheck(trace, id);
  const detail = `${check.id}: ${check.status} ${check.code ?? ''} (${check.received ?? ''}) ${check.message}`;
  assert.equal(check.status, status, detail);
  if (code !== undefined) assert.equal(check.code, code, detail);
  return check;
}

/** Asserts the sign-in failed: not ok, no session, a failure trace. */
export function assertRefused(outcome: AcsOutcome): void {
  assert.equal(outcome.ok, false, 'the sign-in should have been refused');
  assert.equal('session' in outcome ? outcome.session : undefined, undefined);
  assert.equal(outcome.trace.outcome, 'failure');
}

/** Asserts the sign-in succeeded and returns the session. */
export function assertSignedIn(outcome: AcsOutcome): SignedInSession {
  const failed = outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}:${c.code}(${c.received ?? ''})`);
  assert.deepEqual(failed, [], 'no check should fail');
  assert.equal(outcome.ok, true);
  assert.ok('session' in outcome && outcome.session);
  return outcome.session;
}

/** Asserts the sign-in failed on exactly this check and code (other checks may fail too). */
export function assertRefusedBy(outcome: AcsOutcome, id: string, code: ErrorCode): CheckResult {
  assertRefused(outcome);
  return assertCheck(outcome, id, 'fail', code);
}

/** Posts a SAMLResponse (base64) to the ACS of a test SP core. */
export function post(t: TestSpCore, samlResponse: string | undefined, relayState: string | null = null): Promise<AcsOutcome> {
  return consumeSamlResponse(t.ctx, { samlResponse, relayState });
}

/** Runs `fn` with a fresh test SP core and closes it afterwards. */
/** A core whose profile accepts encrypted assertions (off by default, as Mimecast documents no token encryption). */
export const ACCEPT_ENCRYPTION = { profile: { acceptEncryptedAssertions: true } } as const;

export async function withCore(options: Parameters<typeof createTestSpCore>[0], fn: (t: TestSpCore) => Promise<void>): Promise<void> {
  const t = await createTestSpCore(options);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** Decodes a SAMLResponse, lets `fn` change the document (after signing), and encodes it again. */
export function tamper(samlResponse: string, fn: (doc: Document) => void): string {
  return toBase64(mutateResponseXml(decodeXml(samlResponse), fn));
}

/** The first element with this namespace and local name, anywhere below `root`; fails the test when absent. */
export function firstElement(root: Document | Element, ns: string, localName: string): Element {
  const found = root.getElementsByTagNameNS(ns, localName).item(0);
  assert.ok(found, `no ${localName} element`);
  return found;
}

/** Removes the first element with this namespace and local name below `root`. */
export function removeElement(root: Document | Element, ns: string, localName: string): void {
  const el = firstElement(root, ns, localName);
  el.parentNode?.removeChild(el);
}

/** A full `signing` override: idp1, SHA-256, assertion signed, with the given fields changed. */
export function signing(overrides: Partial<EntraResponseInput['signing']>): EntraResponseInput['signing'] {
  return { key: idp1.key, cert: idp1.cert, option: 'assertion', algorithm: 'sha256', ...overrides };
}

/** The XML text of a SAMLResponse form value. */
export function decodeXml(samlResponse: string): string {
  return Buffer.from(samlResponse, 'base64').toString('utf8');
}
