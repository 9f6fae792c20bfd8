import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeError, errorCodes } from '../../../src/core/errors.js';
import { STATUS } from '../../../src/core/saml/constants.js';
import { chooseRefusalFix, describeIdpRefusal } from '../../../src/core/sp/idp-refusal.js';
import { startSpInitiatedSignIn } from '../../../src/core/sp/sign-in.js';
import { assertCheck, post, withCore } from '../../_helpers/check-assert.js';
import { ACCOUNT } from '../../_helpers/sp-core.js';

/** Entra's StatusMessage: the AADSTS line, then its trace lines. */
function entraMessage(aadsts: string): string {
  return `AADSTS${aadsts}: Some words from Entra.\nTrace ID: 0b7c\nCorrelation ID: 5f1e\nTimestamp: 2027-03-01 10:00:00Z`;
}

/** Every AADSTS number the catalogue knows, and a few it does not. */
const KNOWN_AADSTS = [...new Set(errorCodes.flatMap((code) => describeError(code).aadsts ?? []))];
const SUB_CODES = [undefined, STATUS.requestDenied, STATUS.authnFailed, STATUS.noPassive, STATUS.unknownPrincipal];

describe('an IdP refusal: its status, its words and the setting that fixes it', () => {
  test("AADSTS75011 points at the profile's context switches; the other usual errors at their own setting", () => {
    const expected: Record<string, string> = {
      '75011': 'authn-context',
      '50011': 'reply-url',
      '700016': 'identifier',
      '50105': 'user-assignment',
      '50034': 'user-not-found',
      '50126': 'password',
      '50058': 'no-session',
    };
    for (const [aadsts, fixId] of Object.entries(expected)) {
      const refusal = describeIdpRefusal({ code: STATUS.requester, subCode: STATUS.requestDenied, message: entraMessage(aadsts) });
      assert.ok(refusal);
      assert.equal(refusal.aadsts, aadsts);
      assert.equal(refusal.fix.id, fixId, aadsts);
    }
    const context = describeIdpRefusal({ code: STATUS.requester, message: entraMessage('75011') });
    assert.equal(context?.fix.product, 'mimecast');
    assert.equal(context?.fix.section, 'authentication-profiles');
  });

  test('the headline is the first line of the StatusMessage; the trace lines are details', () => {
    const refusal = describeIdpRefusal({ code: STATUS.responder, subCode: STATUS.noPassive, message: entraMessage('50058') });
    assert.equal(refusal?.statusName, 'Responder');
    assert.equal(refusal?.subStatusName, 'NoPassive');
    assert.match(refusal?.headline ?? '', /^AADSTS50058: /);
    assert.equal(refusal?.details.length, 3);
  });

  test('every IdP error has a fix: known numbers, unknown numbers, no number, no message, any second-level code', () => {
    const messages = [...KNOWN_AADSTS.map(entraMessage), entraMessage('9999999'), 'Access denied by policy', '', undefined];
    for (const message of messages) {
      for (const subCode of SUB_CODES) {
        const refusal = describeIdpRefusal({
          code: STATUS.requester,
          ...(subCode ? { subCode } : {}),
          ...(message === undefined ? {} : { message }),
        });
        assert.ok(refusal, `${message} ${subCode}`);
        assert.ok(refusal.fix.id !== '' && refusal.fix.setting !== '' && refusal.fix.where !== '', `${message} ${subCode}`);
      }
    }
    assert.equal(chooseRefusalFix('9999999', null).id, 'idp-sign-in-logs');
    assert.equal(chooseRefusalFix(null, STATUS.noPassive).id, 'no-session');
    assert.equal(chooseRefusalFix(null, null).id, 'idp-sign-in-logs');
  });

  test('Success and a missing status are no refusal', () => {
    assert.equal(describeIdpRefusal({ code: STATUS.success }), null);
    assert.equal(describeIdpRefusal(null), null);
  });

  test('the status check and the trace summary carry the refusal; nothing else fails, IdP- or SP-initiated', async () => {
    await withCore({}, async (t) => {
      const start = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      for (const inResponseTo of [null, start.requestId]) {
        for (const aadsts of [...KNOWN_AADSTS, '9999999']) {
          const status = { code: STATUS.requester, subCode: STATUS.requestDenied, message: entraMessage(aadsts) };
          // Entra's error responses carry no Destination and no assertion.
          const outcome = await post(t, t.respond({ status, inResponseTo, destination: null }));
          const failing = outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => c.id);
          assert.deepEqual(failing, ['status'], `AADSTS${aadsts} ${inResponseTo ?? 'IdP-initiated'}`);
          assert.deepEqual(outcome.trace.summary.idpStatus, status);
          assert.equal(outcome.trace.summary.flow, inResponseTo ? 'sp-initiated' : 'idp-initiated');
          for (const id of ['in-response-to', 'idp-initiated', 'audience', 'destination']) assertCheck(outcome, id, 'skip');
          assert.equal(outcome.trace.accountCode, ACCOUNT.code);
        }
      }
    });
  });
});
