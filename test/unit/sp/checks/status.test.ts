import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS, STATUS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, removeElement, withCore } from '../../../_helpers/check-assert.js';

const AADSTS50105 =
  "AADSTS50105: Your administrator has configured the application Mimecast ('https://eu-api.mimecast.com/sso/CUK12A34') to block users unless they are specifically granted ('assigned') access to the application.";

describe('status check', () => {
  test('Success passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'status', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('Requester with an AADSTS message is SP_STATUS_NOT_SUCCESS', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ status: { code: STATUS.requester, message: AADSTS50105 } }));
      const check = assertRefusedBy(outcome, 'status', 'SP_STATUS_NOT_SUCCESS');
      assert.ok(check.received?.includes(STATUS.requester));
      // Entra sends no assertion with an error: the checks that read one are not applicable, not failures.
      assertCheck(outcome, 'single-assertion', 'skip');
    });
  });

  test('a refusal is headlined once: the checks it makes meaningless are skipped with a reason, never failed', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ status: { code: STATUS.requester, message: AADSTS50105 }, inResponseTo: '_req-unknown' }));
      const failing = outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      assert.deepEqual(failing, ['status']);
      assert.equal(outcome.trace.summary.firstFailure, 'SP_STATUS_NOT_SUCCESS');
      for (const id of ['in-response-to', 'idp-initiated', 'audience', 'signature', 'node-saml', 'subject-confirmation']) {
        const check = assertCheck(outcome, id, 'skip');
        assert.match(check.message, /^Not applicable: the IdP answered Requester/);
      }
    });
  });

  test('an IdP-initiated refusal does not report "IdP-initiated: pass"', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ status: { code: STATUS.requester, message: AADSTS50105 } }));
      assertCheck(outcome, 'idp-initiated', 'skip');
    });
  });

  test('Responder with a second-level code is SP_STATUS_NOT_SUCCESS', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({ status: { code: STATUS.responder, subCode: STATUS.requestDenied, message: 'AADSTS75011' } }),
      );
      assertRefusedBy(outcome, 'status', 'SP_STATUS_NOT_SUCCESS');
    });
  });

  test('a genuine signed assertion does not rescue a non-Success status', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ status: { code: STATUS.requester, message: AADSTS50105 }, includeAssertion: true }));
      assertCheck(outcome, 'signature', 'pass');
      assertRefusedBy(outcome, 'status', 'SP_STATUS_NOT_SUCCESS');
    });
  });

  test('a response without a Status is SP_STATUS_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ beforeSign: (doc) => removeElement(doc, NS.samlp, 'Status') }));
      assertRefusedBy(outcome, 'status', 'SP_STATUS_MISSING');
    });
  });

  test('a Success nested as a second-level code under a failure is not Success', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ status: { code: STATUS.requester, subCode: STATUS.success }, includeAssertion: true }));
      assertRefusedBy(outcome, 'status', 'SP_STATUS_NOT_SUCCESS');
    });
  });
});
