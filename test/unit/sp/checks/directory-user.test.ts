import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertCheck, assertRefusedBy, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { TEST_OBJECT_ID } from '../../../_helpers/idp-signer.js';
import { ACCOUNT, NOW, USER_EMAIL } from '../../../_helpers/sp-core.js';

describe('directory-user check', () => {
  test('the NameID of a directory address passes and the session carries the directory email', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'directory-user', 'pass');
      assert.equal(assertSignedIn(outcome).email, USER_EMAIL);
    });
  });

  test('an address not in the internal directory is SP_USER_NOT_FOUND', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ email: 'nobody@contoso.com' }));
      assertRefusedBy(outcome, 'directory-user', 'SP_USER_NOT_FOUND');
    });
  });

  test('matching is case-insensitive: b.simon@CONTOSO.com signs in as B.Simon@contoso.com', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ nameId: { value: 'b.simon@CONTOSO.com' } }));
      assertCheck(outcome, 'directory-user', 'pass');
      const session = assertSignedIn(outcome);
      assert.equal(session.email, USER_EMAIL);
      assert.equal(session.nameId, 'b.simon@CONTOSO.com');
    });
  });

  test("a user of another account's directory is SP_USER_NOT_FOUND", async () => {
    await withCore({}, async (t) => {
      await t.stores.accounts.create({
        code: 'CUK55B66',
        region: 'eu',
        name: 'Fabrikam',
        domains: ['fabrikam.com'],
        createdAt: NOW.toISOString(),
      });
      await t.stores.directory.create(
        {
          accountCode: 'CUK55B66',
          email: 'eve@fabrikam.com',
          globalName: 'Eve',
          forceChangeAtLogin: false,
          roles: ['Super Administrator'],
          createdAt: NOW.toISOString(),
        },
        null,
      );
      const outcome = await post(t, t.respond({ email: 'eve@fabrikam.com' }));
      assert.equal(outcome.trace.accountCode, ACCOUNT.code);
      assertRefusedBy(outcome, 'directory-user', 'SP_USER_NOT_FOUND');
    });
  });

  test('the NameID decides, not the emailaddress claim', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({
          email: 'nobody@contoso.com',
          user: { userPrincipalName: 'nobody@contoso.com', mail: USER_EMAIL, objectId: TEST_OBJECT_ID, displayName: 'nobody' },
        }),
      );
      assertRefusedBy(outcome, 'directory-user', 'SP_USER_NOT_FOUND');
    });
  });
});
