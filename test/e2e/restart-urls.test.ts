import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { updateAppSettings } from '../../src/core/idp/admin.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { formatKeptEdits } from '../../src/runtime/seed-reconcile.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import { findFreePorts } from '../_helpers/child-harness.js';

const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

async function startOn(databasePath: string): Promise<Harness> {
  const [spPort, idpPort] = await findFreePorts(2);
  return startTestHarness({
    databasePath,
    sp: { port: spPort, publicBaseUrl: `http://127.0.0.1:${spPort}` },
    idp: { port: idpPort, publicBaseUrl: `http://127.0.0.1:${idpPort}` },
  });
}

/** Restarts on other ports with the same database file: seeded URLs follow, edited ones are kept and named. */
describe('restart on other ports, same database', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('untouched seeded fields follow the new URLs and SP-initiated sign-in works', async () => {
    const db = join(dir, 'follow.sqlite');
    const first = await startOn(db);
    assert.equal(first.walkthrough.spSeeded, true);
    assert.equal((await signInSpInitiated(first, creds)).ok, true);
    await first.close();

    const second = await startOn(db);
    try {
      assert.equal(second.walkthrough.spSeeded, false, 'the data is the first run’s');
      assert.deepEqual(second.walkthrough.keptEdits, []);
      assert.ok(second.walkthrough.idp && second.idp);
      const app = await second.idp.ctx.stores.apps.get(second.walkthrough.idp.appId);
      const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, second.spUrl);
      assert.deepEqual(app?.replyUrls, [urls.localAcsUrl]);
      assert.equal(app?.signOnUrl, urls.localSignOnUrl);
      const profile = await second.sp.stores.profiles.get(SEED.accountCode);
      assert.equal(profile?.loginUrl, second.walkthrough.idp.loginUrl);
      assert.equal(profile?.metadataUrl, second.walkthrough.idp.appFederationMetadataUrl);
      const result = await signInSpInitiated(second, creds);
      assert.equal(result.ok, true);
      assert.equal(result.trace?.summary.firstFailure ?? null, null);
    } finally {
      await second.close();
    }
  });

  test('an edited field is kept and reported with its old and new value; the rest follow', async () => {
    const db = join(dir, 'edited.sqlite');
    const first = await startOn(db);
    assert.ok(first.walkthrough.idp && first.idp);
    const { tenantId, appId } = first.walkthrough.idp;
    await updateAppSettings(first.idp.ctx, tenantId, appId, { signOnUrl: 'https://sso.example.test/start' });
    await first.close();

    const second = await startOn(db);
    try {
      const kept = second.walkthrough.keptEdits;
      assert.equal(kept.length, 1);
      const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, second.spUrl);
      assert.deepEqual(kept[0], {
        object: 'entra-app',
        field: 'signOnUrl',
        label: kept[0]?.label,
        current: 'https://sso.example.test/start',
        wanted: urls.localSignOnUrl,
      });
      assert.ok(second.idp);
      const app = await second.idp.ctx.stores.apps.get(appId);
      assert.equal(app?.signOnUrl, 'https://sso.example.test/start', 'the edit is kept');
      assert.deepEqual(app?.replyUrls, [urls.localAcsUrl], 'the untouched Reply URL followed');
      const banner = formatKeptEdits(kept).join('\n');
      assert.ok(
        banner.includes(String(kept[0]?.label)) &&
          banner.includes('https://sso.example.test/start') &&
          banner.includes(urls.localSignOnUrl),
      );
      assert.equal((await signInSpInitiated(second, creds)).ok, true, 'SP-initiated sign-in does not use the Sign on URL');
    } finally {
      await second.close();
    }
  });

  test('an edited profile Login URL is kept across a restart and reported', async () => {
    const db = join(dir, 'profile.sqlite');
    const first = await startOn(db);
    const profile = await first.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(profile);
    await first.sp.stores.profiles.put({ ...profile, loginUrl: 'https://login.example.test/saml2' });
    await first.close();

    const second = await startOn(db);
    try {
      assert.deepEqual(
        second.walkthrough.keptEdits.map((k) => [k.object, k.field, k.current, k.wanted]),
        [['mimecast-profile', 'loginUrl', 'https://login.example.test/saml2', second.walkthrough.idp?.loginUrl]],
      );
      const after = await second.sp.stores.profiles.get(SEED.accountCode);
      assert.equal(after?.loginUrl, 'https://login.example.test/saml2');
      assert.equal(after?.metadataUrl, second.walkthrough.idp?.appFederationMetadataUrl, 'the untouched Metadata URL followed');
    } finally {
      await second.close();
    }
  });
});
