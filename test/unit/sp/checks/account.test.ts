import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../../../../src/core/sp/accounts.js';
import { startSpInitiatedSignIn } from '../../../../src/core/sp/sign-in.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { ACCOUNT, ISSUER, NOW } from '../../../_helpers/sp-core.js';
import { idp1 } from '../../../_helpers/test-keys.js';

const UNKNOWN_AUDIENCE = 'https://eu-api.mimecast.com/sso/CUK99Z99';

describe('account check', () => {
  test('resolved by audience: the default response finds the account and signs in', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'account', 'pass');
      assertSignedIn(outcome);
      assert.equal(outcome.trace.summary.resolvedBy, 'audience');
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
    });
  });

  test('resolved by the pending request the response answers', async () => {
    await withCore({}, async (t) => {
      const start = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      const outcome = await post(t, t.respond({ inResponseTo: start.requestId }));
      assertCheck(outcome, 'account', 'pass');
      assertSignedIn(outcome);
      assert.equal(outcome.trace.summary.resolvedBy, 'pending-request');
    });
  });

  test('audience unknown but the issuer matches the one profile: resolved by issuer, and the audience check fails', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: UNKNOWN_AUDIENCE }));
      assertCheck(outcome, 'account', 'pass');
      assert.equal(outcome.trace.summary.resolvedBy, 'issuer');
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('unknown audience and unknown issuer is SP_ACCOUNT_UNRESOLVED', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({ audience: UNKNOWN_AUDIENCE, issuer: 'https://sts.windows.net/00000000-1111-2222-3333-444444444444/' }),
      );
      assertRefusedBy(outcome, 'account', 'SP_ACCOUNT_UNRESOLVED');
      assert.equal(outcome.trace.accountCode, null);
      assert.equal(outcome.trace.summary.firstFailure, 'SP_ACCOUNT_UNRESOLVED');
    });
  });

  test('an audience that is not a Mimecast Identifier and an unknown issuer is SP_ACCOUNT_UNRESOLVED', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: 'https://evil.example/sso/CUK12A34', issuer: 'https://evil.example/' }));
      assertRefusedBy(outcome, 'account', 'SP_ACCOUNT_UNRESOLVED');
    });
  });

  test('an issuer trusted by two profiles does not pick one: SP_ACCOUNT_UNRESOLVED', async () => {
    await withCore({}, async (t) => {
      await t.stores.accounts.create({
        code: 'CUK55B66',
        region: 'eu',
        name: 'Fabrikam',
        domains: ['fabrikam.com'],
        createdAt: NOW.toISOString(),
      });
      await t.stores.profiles.put({
        ...buildDefaultProfile('CUK55B66', NOW),
        ...TUTORIAL_PROFILE_SWITCHES,
        issuerUrl: ISSUER,
        loginUrl: 'https://login.example/saml2',
        idpCertificates: [idp1.cert],
      });
      const outcome = await post(t, t.respond({ audience: UNKNOWN_AUDIENCE }));
      assertRefusedBy(outcome, 'account', 'SP_ACCOUNT_UNRESOLVED');
    });
  });

  test('a profile with no Identity Provider Certificate is SP_PROFILE_MISSING', async () => {
    await withCore({ profile: { idpCertificates: [] } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertRefusedBy(outcome, 'account', 'SP_PROFILE_MISSING');
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
      // Nothing can vouch for the message without a certificate.
      assertCheck(outcome, 'signature', 'skip');
    });
  });

  test('an account without any authentication profile is SP_PROFILE_MISSING', async () => {
    await withCore({}, async (t) => {
      await t.stores.accounts.create({
        code: 'CUK77C88',
        region: 'eu',
        name: 'No profile',
        domains: ['noprofile.example'],
        createdAt: NOW.toISOString(),
      });
      const outcome = await post(t, t.respond({ audience: 'https://eu-api.mimecast.com/sso/CUK77C88' }));
      assertRefusedBy(outcome, 'account', 'SP_PROFILE_MISSING');
      assert.equal(outcome.trace.accountCode, 'CUK77C88');
    });
  });

  test('a lower-case code in the audience finds the account, but the audience must match exactly', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: `https://eu-api.mimecast.com/sso/${ACCOUNT.code.toLowerCase()}` }));
      assertCheck(outcome, 'account', 'pass');
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });
});
