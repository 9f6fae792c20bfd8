/**
 * `seed: ready | before-tutorial | none`: what each mode leaves in the two apps' stores on an empty
 * database, started in-process as `mock-mimecast start` starts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeSeed } from '../../src/cli/start-guide.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';

async function readStores(h: Awaited<ReturnType<typeof startTestHarness>>) {
  assert.ok(h.idp);
  const tenants = await h.idp.ctx.stores.tenants.list();
  const tenant = tenants[0];
  const users = tenant ? (await h.idp.ctx.stores.users.list(tenant.tenantId)).map((u) => u.userPrincipalName) : [];
  const apps = tenant ? await h.idp.ctx.stores.apps.list(tenant.tenantId) : [];
  const accounts = (await h.sp.stores.accounts.list()).map((a) => a.code);
  const profile = await h.sp.stores.profiles.get(SEED.accountCode);
  const addresses = (await h.sp.stores.directory.list(SEED.accountCode)).map((u) => u.email);
  return { tenants: tenants.map((t) => t.name), users, apps, accounts, profile, addresses };
}

describe('seed modes', () => {
  test('ready: tenant, B.Simon, the Mimecast app, the account, both addresses and an imported profile', async () => {
    const h = await startTestHarness({ seed: 'ready' });
    try {
      const s = await readStores(h);
      assert.equal(h.walkthrough.mode, 'ready');
      assert.deepEqual(s.tenants, [IDP_SEED.tenantName]);
      assert.deepEqual(s.users, [IDP_SEED.userPrincipalName]);
      assert.equal(s.apps.length, 1);
      assert.deepEqual(s.accounts, [SEED.accountCode]);
      assert.deepEqual([...s.addresses].sort(), [SEED.adminEmail, SEED.userEmail].sort());
      assert.ok(s.profile && s.profile.idpCertificates.length > 0, 'the profile holds the imported certificate');
    } finally {
      await h.close();
    }
  });

  test('before-tutorial: tenant, B.Simon, the account and its address; no Entra app and no profile', async () => {
    const h = await startTestHarness({ seed: 'before-tutorial' });
    try {
      const s = await readStores(h);
      assert.equal(h.walkthrough.mode, 'before-tutorial');
      assert.equal(h.walkthrough.idp, null);
      assert.ok(h.walkthrough.beforeTutorialTenantId);
      assert.deepEqual(s.tenants, [IDP_SEED.tenantName]);
      assert.deepEqual(s.users, [IDP_SEED.userPrincipalName]);
      assert.deepEqual(s.apps, []);
      assert.deepEqual(s.accounts, [SEED.accountCode]);
      assert.deepEqual(s.addresses, [SEED.userEmail]);
      assert.equal(s.profile, null);
      assert.ok(describeSeed(h)[0]?.startsWith('Seed: before-tutorial'), 'the banner names the mode');
    } finally {
      await h.close();
    }
  });

  test('none (and the old false): nothing at all', async () => {
    for (const seed of ['none', false] as const) {
      const h = await startTestHarness({ seed });
      try {
        const s = await readStores(h);
        assert.equal(h.walkthrough.mode, 'none');
        assert.deepEqual(s.tenants, []);
        assert.deepEqual(s.accounts, []);
        assert.equal(s.profile, null);
      } finally {
        await h.close();
      }
    }
  });
});
