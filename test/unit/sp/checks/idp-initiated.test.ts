import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startSpInitiatedSignIn } from '../../../../src/core/sp/sign-in.js';
import { assertCheck, assertRefused, assertRefusedBy, assertSignedIn, post, tamper, withCore } from '../../../_helpers/check-assert.js';
import { ACCOUNT } from '../../../_helpers/sp-core.js';

describe('idp-initiated check', () => {
  test('an unsolicited response passes when the profile allows single sign-on', async () => {
    await withCore({ profile: { allowSingleSignOn: true } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'idp-initiated', 'pass');
      const session = assertSignedIn(outcome);
      assert.equal(session.flow, 'idp-initiated');
      assert.equal(outcome.trace.summary.flow, 'idp-initiated');
    });
  });

  test('an unsolicited response is SP_IDP_INITIATED_DISABLED when Allow Single Sign On is off', async () => {
    await withCore({ profile: { allowSingleSignOn: false } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertRefusedBy(outcome, 'idp-initiated', 'SP_IDP_INITIATED_DISABLED');
    });
  });

  test('an SP-initiated response is not affected by Allow Single Sign On being off', async () => {
    await withCore({ profile: { allowSingleSignOn: false } }, async (t) => {
      const { requestId } = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      const outcome = await post(t, t.respond({ inResponseTo: requestId }));
      assertCheck(outcome, 'idp-initiated', 'skip');
      assertSignedIn(outcome);
    });
  });

  test('an unknown InResponseTo does not turn into an allowed IdP-initiated sign-in', async () => {
    await withCore({ profile: { allowSingleSignOn: true } }, async (t) => {
      const outcome = await post(t, t.respond({ inResponseTo: '_forged-request-id' }));
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_UNKNOWN');
    });
  });

  test('Allow Single Sign On off cannot be bypassed by adding InResponseTo to the unsigned Response', async () => {
    await withCore({ profile: { allowSingleSignOn: false } }, async (t) => {
      const { requestId } = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      const unsolicited = t.respond();
      const response = tamper(unsolicited, (doc) => (doc.documentElement as Element).setAttribute('InResponseTo', requestId));
      const outcome = await post(t, response);
      assertRefused(outcome);
    });
  });
});
