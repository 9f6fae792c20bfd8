/**
 * The apply delay (inferred from a vendor's Mimecast guide: about fifteen minutes). With
 * profileApplyDelayMs set, a saved profile change is stored at once but sign-in — the AuthnRequest
 * and the ACS — keeps the previous settings until the delay has passed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { consumeSamlResponse } from '../../../src/core/sp/acs.js';
import { saveProfileFields } from '../../../src/core/sp/admin.js';
import { readPendingApplyTime } from '../../../src/core/sp/profile-apply.js';
import { startSpInitiatedSignIn } from '../../../src/core/sp/sign-in.js';
import { withCore } from '../../_helpers/check-assert.js';
import { ACCOUNT, NOW } from '../../_helpers/sp-core.js';
import { idp2 } from '../../_helpers/test-keys.js';

const DELAY_MS = 900_000;

async function codeOf(fn: () => Promise<unknown>): Promise<string | null> {
  try {
    await fn();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-app-error';
  }
}

describe('a saved profile change applies to sign-in after the apply delay', () => {
  test('the ACS keeps verifying with the previous certificates until the change applies', async () => {
    await withCore({ settings: { profileApplyDelayMs: DELAY_MS } }, async (t) => {
      const saved = await saveProfileFields(t.ctx, ACCOUNT.code, { idpCertificates: [idp2.cert] });
      assert.equal(readPendingApplyTime(saved, t.clock.now()), new Date(NOW.getTime() + DELAY_MS).toISOString());
      const early = await consumeSamlResponse(t.ctx, { samlResponse: t.respond(), relayState: null });
      assert.equal(early.ok, true, early.trace.summary.firstFailure ?? '');

      t.clock.advance(DELAY_MS);
      assert.equal(readPendingApplyTime(await t.stores.profiles.get(ACCOUNT.code), t.clock.now()), null);
      const late = await consumeSamlResponse(t.ctx, { samlResponse: t.respond(), relayState: null });
      assert.equal(late.ok, false);
      assert.equal(late.trace.summary.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');
    });
  });

  test('the sign-in start keeps the previous switches; a second save keeps what sign-in still uses', async () => {
    await withCore({ settings: { profileApplyDelayMs: DELAY_MS } }, async (t) => {
      const off = { enforceAdminConsole: false, enforcePersonalPortal: false, enforceEndUserApps: false };
      await saveProfileFields(t.ctx, ACCOUNT.code, off);
      t.clock.advance(DELAY_MS / 2);
      await saveProfileFields(t.ctx, ACCOUNT.code, { description: 'renamed' });
      t.clock.advance(DELAY_MS / 2);
      const start = () => startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      assert.equal(await codeOf(start), null, 'still enforced: the second save restarted the wait');
      t.clock.advance(DELAY_MS / 2);
      assert.equal(await codeOf(start), 'SAML_NOT_ENFORCED');
    });
  });

  test('without a delay (the default) a change applies at once', async () => {
    await withCore({}, async (t) => {
      const saved = await saveProfileFields(t.ctx, ACCOUNT.code, { idpCertificates: [idp2.cert] });
      assert.equal(readPendingApplyTime(saved, t.clock.now()), null);
      const result = await consumeSamlResponse(t.ctx, { samlResponse: t.respond(), relayState: null });
      assert.equal(result.trace.summary.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');
    });
  });
});
