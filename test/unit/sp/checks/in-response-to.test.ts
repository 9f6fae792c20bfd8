import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../../../../src/core/sp/accounts.js';
import { startSpInitiatedSignIn } from '../../../../src/core/sp/sign-in.js';
import { assertCheck, assertRefusedBy, assertSignedIn, firstElement, post, tamper, withCore } from '../../../_helpers/check-assert.js';
import { ACCOUNT, ISSUER, NOW, type TestSpCore } from '../../../_helpers/sp-core.js';
import { idp1 } from '../../../_helpers/test-keys.js';

const TTL = 600_000;

async function start(t: TestSpCore, accountCode = ACCOUNT.code): Promise<string> {
  return (await startSpInitiatedSignIn(t.ctx, { accountCode, relayState: null })).requestId;
}

describe('in-response-to check', () => {
  test('a response to a request this SP sent passes and the sign-in is SP-initiated', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      const outcome = await post(t, t.respond({ inResponseTo: requestId }));
      assertCheck(outcome, 'in-response-to', 'pass');
      const session = assertSignedIn(outcome);
      assert.equal(session.flow, 'sp-initiated');
      assert.equal(outcome.trace.summary.inResponseTo, requestId);
    });
  });

  test('an IdP-initiated response skips the check', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'in-response-to', 'skip');
    });
  });

  test('an id this SP never sent is SP_IN_RESPONSE_TO_UNKNOWN', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ inResponseTo: '_never-sent' }));
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_UNKNOWN');
    });
  });

  test('a request older than pendingRequestTtlMs is SP_IN_RESPONSE_TO_EXPIRED', async () => {
    await withCore({ settings: { pendingRequestTtlMs: TTL } }, async (t) => {
      const requestId = await start(t);
      t.clock.advance(TTL + 1_000);
      // The response itself is fresh: only the pending request has expired.
      const outcome = await post(t, t.respond({ inResponseTo: requestId }));
      assertCheck(outcome, 'timestamps', 'pass');
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_EXPIRED');
    });
  });

  test('a request answered exactly at its expiry is expired; 1 ms before it is live', async () => {
    await withCore({ settings: { pendingRequestTtlMs: TTL } }, async (t) => {
      const first = await start(t);
      t.clock.advance(TTL - 1);
      assertSignedIn(await post(t, t.respond({ inResponseTo: first })));
      const second = await start(t);
      t.clock.advance(TTL);
      assertRefusedBy(await post(t, t.respond({ inResponseTo: second })), 'in-response-to', 'SP_IN_RESPONSE_TO_EXPIRED');
    });
  });

  test('Response and SubjectConfirmationData naming different requests is SP_IN_RESPONSE_TO_INCONSISTENT', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      const other = await start(t);
      const response = t.respond({
        inResponseTo: requestId,
        beforeSign: (doc) => firstElement(doc, NS.saml, 'SubjectConfirmationData').setAttribute('InResponseTo', other),
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_INCONSISTENT');
    });
  });

  test('InResponseTo only on the SubjectConfirmationData still names the request', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      const response = t.respond({
        beforeSign: (doc) => firstElement(doc, NS.saml, 'SubjectConfirmationData').setAttribute('InResponseTo', requestId),
      });
      const outcome = await post(t, response);
      assertCheck(outcome, 'in-response-to', 'pass');
      assertCheck(outcome, 'idp-initiated', 'skip');
      assertSignedIn(outcome);
    });
  });

  test('the same request answered twice: the second answer is SP_IN_RESPONSE_TO_UNKNOWN', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      assertSignedIn(await post(t, t.respond({ inResponseTo: requestId })));
      const again = await post(t, t.respond({ inResponseTo: requestId }));
      assertRefusedBy(again, 'in-response-to', 'SP_IN_RESPONSE_TO_UNKNOWN');
    });
  });

  test('a failed answer does not consume the request', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      assertRefusedBy(
        await post(t, t.respond({ inResponseTo: requestId, recipient: 'https://other.example/acs' })),
        'recipient',
        'SP_RECIPIENT_MISMATCH',
      );
      assertSignedIn(await post(t, t.respond({ inResponseTo: requestId })));
    });
  });

  test('a request sent for another account is SP_IN_RESPONSE_TO_WRONG_ACCOUNT', async () => {
    await withCore({}, async (t) => {
      const other = 'CUK55B66';
      await t.stores.accounts.create({
        code: other,
        region: 'eu',
        name: 'Fabrikam',
        domains: ['fabrikam.com'],
        createdAt: NOW.toISOString(),
      });
      await t.stores.profiles.put({
        ...buildDefaultProfile(other, NOW),
        ...TUTORIAL_PROFILE_SWITCHES,
        issuerUrl: ISSUER,
        loginUrl: 'https://login.example/saml2',
        idpCertificates: [idp1.cert],
      });
      const requestId = await start(t, other);
      // An assertion issued for CUK12A34 (its Audience and user) answering the request sent for CUK55B66.
      const outcome = await post(t, t.respond({ inResponseTo: requestId }));
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_WRONG_ACCOUNT');
    });
  });

  test('InResponseTo added to the unsigned Response of an unsolicited assertion is SP_IN_RESPONSE_TO_INCONSISTENT', async () => {
    await withCore({}, async (t) => {
      const requestId = await start(t);
      // The signed bearer confirmation says "unsolicited"; only the unsigned envelope claims a request.
      const response = tamper(t.respond(), (doc) => (doc.documentElement as Element).setAttribute('InResponseTo', requestId));
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'in-response-to', 'SP_IN_RESPONSE_TO_INCONSISTENT');
      assert.ok(await t.stores.pending.get(requestId));
    });
  });
});
