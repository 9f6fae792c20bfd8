import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFrozenClock } from '../../../src/core/clock.js';
import { buildAccountUrls } from '../../../src/core/sp/accounts.js';
import type { SpContext } from '../../../src/core/sp/context.js';
import { SEED, seedSpWalkthrough } from '../../../src/runtime/seed.js';
import { seedIdpWalkthrough } from '../../../src/runtime/seed-idp.js';
import { createSqliteStores } from '../../../src/store/index.js';
import { createSeedStateStore } from '../../../src/store/sqlite/seed-state.store.js';
import { createTestIdpContext } from '../../_helpers/idp-harness.js';

const clock = createFrozenClock(new Date('2027-03-01T10:00:00.000Z'));
const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, 'http://127.0.0.1:3000');

/** A failure injected after `after` successful calls of a store method, as a kill between two steps would. */
function failAfter<T extends object>(store: T, method: keyof T, after: number): T {
  let calls = 0;
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        calls += 1;
        if (calls > after) throw new Error('injected failure between seed steps');
        return value.apply(target, args);
      };
    },
  });
}

describe('the walk-through seed is all or nothing, and a later start completes it', () => {
  test('SP: a failure after the account and the first address leaves nothing; the next seed writes everything', async () => {
    const stores = createSqliteStores(':memory:');
    try {
      const broken = { stores: { ...stores, directory: failAfter(stores.directory, 'create', 1) }, clock } as unknown as SpContext;
      await assert.rejects(seedSpWalkthrough(broken, stores.seedState));
      assert.deepEqual(await stores.accounts.list(), []);
      assert.equal(await stores.profiles.get(SEED.accountCode), null);
      assert.equal(stores.db.inTransaction, false);

      const ctx = { stores, clock } as unknown as SpContext;
      assert.equal(await seedSpWalkthrough(ctx, stores.seedState), true);
      assert.equal((await stores.accounts.list()).length, 1);
      assert.ok(await stores.profiles.get(SEED.accountCode));
      assert.ok(await stores.directory.find(SEED.accountCode, SEED.userEmail));
      assert.ok(await stores.directory.find(SEED.accountCode, SEED.adminEmail));
      assert.equal(await seedSpWalkthrough(ctx, stores.seedState), false, 'a second start seeds nothing');
    } finally {
      await stores.close();
    }
  });

  test('mock Entra: a failure before B.Simon is assigned leaves no tenant; the next seed writes all of it', async () => {
    const t = createTestIdpContext();
    const seedState = createSeedStateStore(t.db);
    try {
      const broken = { ...t.ctx, stores: { ...t.ctx.stores, apps: failAfter(t.ctx.stores.apps, 'update', 0) } };
      await assert.rejects(seedIdpWalkthrough(broken, urls, seedState));
      assert.deepEqual(await t.ctx.stores.tenants.list(), []);
      assert.equal(seedState.read('entra-app'), null);

      const info = await seedIdpWalkthrough(t.ctx, urls, seedState);
      assert.ok(info);
      const app = await t.ctx.stores.apps.get(info.appId);
      assert.equal(app?.assignedUserIds.length, 1);
      assert.equal((seedState.read('entra-app') as { appId: string }).appId, info.appId);
      assert.equal((await seedIdpWalkthrough(t.ctx, urls, seedState))?.appId, info.appId, 'a second start finds the same app');
    } finally {
      await t.close();
    }
  });
});
