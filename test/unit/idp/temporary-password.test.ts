import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { createUser } from '../../../src/core/idp/admin.js';
import { isPasswordTemporary, NEW_PASSWORD_FIELD, updateTemporaryPassword } from '../../../src/core/idp/temporary-password.js';
import { createTestIdpContext, seedContoso, type TestIdpContext } from '../../_helpers/idp-harness.js';

const TEMPORARY = 'Temp-0nly-Passw0rd';
const NEW = 'N3w-Chosen-Passw0rd!';

describe('updateTemporaryPassword ("Require this user to change password at next sign-in")', () => {
  let t: TestIdpContext;
  let tenantId: string;
  let objectId: string;
  const upn = 'Temp.User@contoso.com';

  before(async () => {
    t = createTestIdpContext();
    tenantId = (await seedContoso(t.ctx)).tenantId;
    const user = await createUser(t.ctx, tenantId, {
      userPrincipalName: upn,
      displayName: 'Temp',
      password: TEMPORARY,
      passwordIsTemporary: true,
    });
    objectId = user.objectId;
    assert.equal(isPasswordTemporary(user), true);
  });
  after(() => t.close());

  async function expectUnchanged(): Promise<void> {
    const stored = await t.ctx.stores.users.verifyPassword(tenantId, upn, TEMPORARY);
    assert.ok(stored, 'the temporary password still signs in');
    assert.equal(stored.passwordIsTemporary, true, 'and is still temporary');
  }

  test('a weak or reused new password is refused beside the field, nothing stored', async () => {
    for (const [password, code] of [
      ['short', 'weak-password'],
      ['alllowercaseletters', 'weak-password'],
      ['x'.repeat(257), 'weak-password'],
      [TEMPORARY, 'password-reused'],
    ] as const) {
      const outcome = await updateTemporaryPassword(t.ctx, tenantId, objectId, password);
      assert.equal(outcome.ok, false, password);
      if (!outcome.ok)
        assert.deepEqual(
          outcome.errors.map((e) => [e.field, e.code]),
          [[NEW_PASSWORD_FIELD, code]],
        );
      await expectUnchanged();
    }
  });

  test('a good one replaces the temporary password and clears the flag; a second update is refused', async () => {
    const outcome = await updateTemporaryPassword(t.ctx, tenantId, objectId, NEW);
    assert.equal(outcome.ok, true);
    if (outcome.ok) assert.equal(isPasswordTemporary(outcome.value), false);
    assert.equal(await t.ctx.stores.users.verifyPassword(tenantId, upn, TEMPORARY), null, 'the temporary password no longer works');
    const stored = await t.ctx.stores.users.verifyPassword(tenantId, upn, NEW);
    assert.ok(stored);
    assert.equal(stored.passwordIsTemporary, undefined);
    assert.equal(stored.objectId, objectId);
    const again = await updateTemporaryPassword(t.ctx, tenantId, objectId, 'An0ther-Passw0rd!');
    assert.equal(again.ok, false);
    if (!again.ok) assert.equal(again.errors[0]?.code, 'not-temporary');
    assert.ok(await t.ctx.stores.users.verifyPassword(tenantId, upn, NEW));
  });

  test('an unknown user, or one of another tenant, is IDP_USER_NOT_FOUND', async () => {
    for (const [tenant, id] of [
      [tenantId, '00000000-0000-4000-8000-000000000000'],
      ['00000000-0000-4000-8000-000000000001', objectId],
    ] as const) {
      await assert.rejects(
        updateTemporaryPassword(t.ctx, tenant, id, NEW),
        (err: unknown) => err instanceof AppError && err.code === 'IDP_USER_NOT_FOUND',
      );
    }
  });

  test('a user whose password is not temporary (B.Simon) cannot use it', async () => {
    const simon = await t.ctx.stores.users.findByUpn(tenantId, 'B.Simon@contoso.com');
    assert.ok(simon);
    assert.equal(isPasswordTemporary(simon), false);
    const outcome = await updateTemporaryPassword(t.ctx, tenantId, simon.objectId, NEW);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.equal(outcome.errors[0]?.code, 'not-temporary');
  });
});
