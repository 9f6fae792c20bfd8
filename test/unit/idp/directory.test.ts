import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFrozenClock } from '../../../src/core/clock.js';
import { AppError } from '../../../src/core/errors.js';
import { createTenant, createUser } from '../../../src/core/idp/admin.js';
import { buildTenant, buildUser, matchTenant, readUpnLocalPartProblem, readUpnProblem } from '../../../src/core/idp/directory.js';
import { createSequentialIds } from '../../../src/core/ids.js';
import { createTestIdpContext, type TestIdpContext } from '../../_helpers/idp-harness.js';

const deps = { ids: createSequentialIds('dir'), clock: createFrozenClock('2027-03-01T10:00:00Z') };

describe('directory model', () => {
  test('a tenant matches by id, initial domain and verified domain, case-insensitively', () => {
    const tenant = buildTenant({ name: 'Contoso.onmicrosoft.com', verifiedDomains: ['Contoso.com'] }, deps);
    for (const name of [tenant.tenantId, 'contoso.onmicrosoft.com', 'CONTOSO.COM']) assert.equal(matchTenant(tenant, name), true);
    assert.equal(matchTenant(tenant, 'fabrikam.com'), false);
  });

  test("a user's UPN domain must belong to the tenant; mail stays empty unless given", () => {
    const tenant = buildTenant({ name: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.com'] }, deps);
    const user = buildUser(tenant, { userPrincipalName: 'B.Simon@contoso.com', displayName: 'B' }, deps);
    assert.equal(user.mail, null);
    assert.equal(user.authMethod, 'password');
    assert.throws(
      () => buildUser(tenant, { userPrincipalName: 'x@fabrikam.com', displayName: 'X' }, deps),
      (err: unknown) => err instanceof AppError && err.code === 'IDP_UPN_DOMAIN_NOT_VERIFIED',
    );
  });

  test("a UPN must pass the console's rule, whoever creates the user (IDP_UPN_INVALID)", () => {
    const tenant = buildTenant({ name: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.com'] }, deps);
    for (const upn of [
      '\u212Aate@contoso.com',
      'a b@contoso.com',
      '.kate@contoso.com',
      'kate@contoso.com@contoso.com',
      'kate',
      `${'a'.repeat(65)}@contoso.com`,
    ]) {
      assert.throws(
        () => buildUser(tenant, { userPrincipalName: upn, displayName: 'X' }, deps),
        (err: unknown) => err instanceof AppError && err.code === 'IDP_UPN_INVALID',
        upn,
      );
    }
    assert.equal(readUpnProblem('\u212Aate@contoso.com'), 'invalid-upn');
    assert.equal(readUpnProblem(`${'a'.repeat(65)}@contoso.com`), 'too-long');
    assert.equal(readUpnLocalPartProblem("Kate.O'Neil_2#^~!-x"), null);
    assert.equal(readUpnLocalPartProblem(''), 'required');
  });
});

describe('directory store', () => {
  let t: TestIdpContext;
  before(() => {
    t = createTestIdpContext();
  });
  after(() => t.close());

  test('UPNs are unique case-insensitively, passwords verify with scrypt, tenants are unique', async () => {
    const tenant = await createTenant(t.ctx, { name: 'contoso.onmicrosoft.com', verifiedDomains: ['contoso.com'] });
    const user = await createUser(t.ctx, tenant.tenantId, {
      userPrincipalName: 'B.Simon@contoso.com',
      displayName: 'B',
      password: 'Test-only-Passw0rd!',
    });
    await assert.rejects(
      createUser(t.ctx, tenant.tenantId, { userPrincipalName: 'b.simon@CONTOSO.com', displayName: 'B', password: 'x' }),
      (err: unknown) => err instanceof AppError && err.code === 'IDP_USER_EXISTS',
    );
    assert.equal((await t.ctx.stores.users.findByUpn(tenant.tenantId, 'B.SIMON@contoso.com'))?.objectId, user.objectId);
    assert.equal(
      (await t.ctx.stores.users.verifyPassword(tenant.tenantId, 'b.simon@contoso.com', 'Test-only-Passw0rd!'))?.objectId,
      user.objectId,
    );
    assert.equal(await t.ctx.stores.users.verifyPassword(tenant.tenantId, 'b.simon@contoso.com', 'wrong'), null);
    assert.equal(await t.ctx.stores.users.verifyPassword(tenant.tenantId, 'nobody@contoso.com', 'x'), null);
    await assert.rejects(
      createTenant(t.ctx, { name: 'CONTOSO.onmicrosoft.com' }),
      (err: unknown) => err instanceof AppError && err.code === 'IDP_TENANT_EXISTS',
    );
    const row = t.db.prepare('SELECT password_hash FROM idp_users').get() as { password_hash: string };
    assert.match(row.password_hash, /^scrypt\$/);
  });

  test('mail stays empty unless set: a cloud user without a mailbox has none (the UPN is not copied)', async () => {
    const tenant = await createTenant(t.ctx, { name: 'fabrikam.onmicrosoft.com' });
    const plain = await createUser(t.ctx, tenant.tenantId, {
      userPrincipalName: 'Alex@fabrikam.onmicrosoft.com',
      displayName: 'A',
      password: 'p',
    });
    const blank = await createUser(t.ctx, tenant.tenantId, {
      userPrincipalName: 'Blank@fabrikam.onmicrosoft.com',
      displayName: 'B',
      password: 'p',
      mail: '',
    });
    const withMail = await createUser(t.ctx, tenant.tenantId, {
      userPrincipalName: 'Adele@fabrikam.onmicrosoft.com',
      displayName: 'C',
      password: 'p',
      mail: 'adele@fabrikam.com',
    });
    assert.deepEqual([plain.mail, blank.mail, withMail.mail], [null, null, 'adele@fabrikam.com']);
  });
});
