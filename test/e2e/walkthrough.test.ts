import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInIdpInitiated, signInSpInitiated } from '../../src/testing/sign-in.js';

/** The seeded rehearsal, over real HTTP between the two apps, as `npm start` runs it. */
describe('the seeded walk-through, SP and mock Entra over real HTTP', () => {
  let h: Harness;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  before(async () => {
    h = await startTestHarness();
  });
  after(() => h.close());

  test('the Mimecast profile was filled by importing the App Federation Metadata Url over HTTP', async () => {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(h.walkthrough.idp);
    assert.equal(profile?.issuerUrl, `https://sts.windows.net/${h.walkthrough.idp.tenantId}/`);
    assert.equal(profile?.loginUrl, `${h.idpUrl}/${h.walkthrough.idp.tenantId}/saml2`);
    assert.equal(profile?.metadataUrl, h.walkthrough.idp.appFederationMetadataUrl);
    assert.ok((profile?.idpCertificates.length ?? 0) >= 1);
    assert.deepEqual(
      h.walkthrough.importFindings?.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('SP-initiated sign-in as B.Simon lands on the Personal Portal with every check passed', async () => {
    const result = await signInSpInitiated(h, creds);
    assert.equal(result.ok, true, `ended at ${result.page.url}`);
    assert.equal(result.session?.email, SEED.userEmail);
    assert.equal(result.session?.flow, 'sp-initiated');
    assert.equal(new URL(result.page.url).pathname, '/portal');
    assert.equal(result.trace?.outcome, 'success');
    assert.deepEqual(
      result.trace?.checks.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(result.trace?.checks.find((c) => c.id === 'in-response-to')?.status, 'pass');
  });

  test('IdP-initiated ("Test this application") signs in when Allow Single Sign On is on', async () => {
    assert.ok(h.walkthrough.idp);
    const result = await signInIdpInitiated(h, h.walkthrough.idp.appId, creds);
    assert.equal(result.ok, true, `ended at ${result.page.url}`);
    assert.equal(result.session?.flow, 'idp-initiated');
    assert.equal(result.trace?.checks.find((c) => c.id === 'idp-initiated')?.status, 'pass');
  });

  test('a second SP-initiated sign-in in the same browser reuses the Entra session (no password page)', async () => {
    const browser = new TestBrowser();
    assert.equal((await signInSpInitiated(h, { ...creds, browser })).ok, true);
    const again = await signInSpInitiated(h, { email: creds.email, password: 'not-asked-again', browser });
    assert.equal(again.ok, true);
  });

  test('a wrong password stays on Entra and never reaches the SP', async () => {
    const result = await signInSpInitiated(h, { ...creds, password: 'wrong' });
    assert.equal(result.ok, false);
    assert.equal(result.trace, null);
    assert.ok(result.page.url.startsWith(h.idpUrl ?? ''), result.page.url);
  });

  test('IdP-initiated is refused by the SP when the profile does not Allow Single Sign On', async () => {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(profile && h.walkthrough.idp);
    await h.sp.stores.profiles.put({ ...profile, allowSingleSignOn: false });
    try {
      const result = await signInIdpInitiated(h, h.walkthrough.idp.appId, creds);
      assert.equal(result.ok, false);
      assert.equal(result.trace?.summary.firstFailure, 'SP_IDP_INITIATED_DISABLED');
    } finally {
      await h.sp.stores.profiles.put(profile);
    }
  });
});
