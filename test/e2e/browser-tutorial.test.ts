import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../../src/runtime/harness.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';
import {
  ACCOUNT,
  addMimecastAddress,
  addMimecastFromGallery,
  allowClipboard,
  assignUserInEntra,
  B_SIMON,
  copyAppFederationMetadataUrl,
  createEntraUser,
  createTenantAndAccount,
  type EntraSamlValues,
  editBasicSamlConfiguration,
  enterEntraCredentials,
  importMetadataIntoProfile,
  type MimecastSetupValues,
  openAuthenticationProfile,
  openEntraApp,
  openMimecastSection,
  openSamlSetup,
  PROFILE_DESCRIPTION,
  readCheckRow,
  readCheckStatuses,
  readLandingFacts,
  readMimecastSetupValues,
  saveProfileAfterImport,
  startMimecastLogin,
  type TutorialEnv,
} from '../_helpers/tutorial-steps.js';

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.json();
}

/**
 * Microsoft's "Configure Mimecast for single sign-on" tutorial, end to end in real Chromium, from
 * empty stores: only the Entra tenant and the Mimecast account are made through the JSON APIs (they
 * exist before SSO is configured); every other step is done in the two consoles. The steps run in
 * order, each building on the one before; a failing step leaves test-results/screenshots/tutorial-*.png.
 */
describe('the Entra tutorial for Mimecast, in Chromium from empty stores', { timeout: 60_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let env: TutorialEnv;
  let appId = '';
  let setup: MimecastSetupValues;
  let entra: EntraSamlValues;

  before(async () => {
    [h, chromium] = await Promise.all([startTestHarness({ seed: false }), launchChromium()]);
  });
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  /** One step of the tutorial on a fresh page; after a step fails the rest fail at once, not by timeout. */
  let failedStep: string | null = null;
  function step(name: string, screenshot: string, body: (page: Page) => Promise<void>): void {
    test(name, { timeout: 20_000 }, async () => {
      assert.equal(failedStep, null, `not run: the earlier step "${failedStep}" failed`);
      try {
        await withPage(chromium.browser, screenshot, body);
      } catch (error) {
        failedStep = name;
        throw error;
      }
    });
  }

  test('0. both stores start empty; the tenant and the account come from the JSON APIs', async () => {
    failedStep = '0. set-up';
    assert.ok(h.idpUrl);
    assert.deepEqual(await getJson(`${h.idpUrl}/api/tenants`), []);
    assert.deepEqual(await getJson(`${h.spUrl}/api/accounts`), { accounts: [] });
    assert.deepEqual(h.walkthrough, {
      mode: 'none',
      beforeTutorialTenantId: null,
      spSeeded: false,
      idp: null,
      importFindings: null,
      keptEdits: [],
    });
    env = await createTenantAndAccount(h);
    await allowClipboard(chromium.browser, env);
    failedStep = null;
  });

  step('1. Entra: Users › New user › Create new user makes B.Simon', 'tutorial-01-entra-new-user', async (page) => {
    const { reviewed, created } = await createEntraUser(page, env, B_SIMON);
    assert.equal(reviewed, B_SIMON.upn);
    assert.equal(created, B_SIMON.upn);
    await page.getByRole('link', { name: 'All users' }).click();
    const row = page.locator(`#users tr[data-upn="${B_SIMON.upn}"] td`);
    assert.equal(await row.nth(0).textContent(), B_SIMON.displayName);
    assert.equal(await page.locator('#users tbody tr').count(), 1);
  });

  step('2. Entra: Enterprise applications › New application › Mimecast from the gallery', 'tutorial-02-entra-gallery', async (page) => {
    appId = await addMimecastFromGallery(page, env);
    assert.match(appId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(await page.locator('[data-field="application-id"]').textContent(), appId);
    assert.equal(await page.locator('[data-field="assigned-count"]').textContent(), '0');
    // Until Basic SAML Configuration is saved, Single sign-on offers the method picker and Test is greyed.
    await openSamlSetup(page, env, appId);
    assert.equal(await page.locator('#test-sso-button').isDisabled(), true);
  });

  step(
    '3. Entra: Basic SAML Configuration with the values read from Mimecast "Set up in Entra"',
    'tutorial-03-basic-saml',
    async (page) => {
      setup = await readMimecastSetupValues(page, env);
      assert.equal(setup.identifier, `https://eu-api.mimecast.com/sso/${ACCOUNT.code}`);
      assert.equal(setup.replyUrl, `${env.spUrl}/login/saml`);
      assert.equal(setup.signOnUrl, `${env.spUrl}/sso/${ACCOUNT.code}`);
      assert.equal(setup.logoutUrl, `${env.spUrl}/logout/saml`);

      const saved = await editBasicSamlConfiguration(page, env, appId, setup);
      assert.deepEqual(saved, {
        identifiers: setup.identifier,
        replyUrls: setup.replyUrl,
        signOnUrl: setup.signOnUrl,
        logoutUrl: setup.logoutUrl,
      });
      // With a Sign on URL, Test starts SP-initiated sign-in at Mimecast.
      assert.equal(await page.locator('#test-sso-button').getAttribute('data-mode'), 'sp');
    },
  );

  step('4. Entra: SAML Certificates › copy the App Federation Metadata Url', 'tutorial-04-metadata-url', async (page) => {
    entra = await copyAppFederationMetadataUrl(page, env, appId);
    assert.equal(entra.metadataUrl, `${env.idpUrl}/${env.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${appId}`);
    assert.equal(entra.clipboard, entra.metadataUrl);
    assert.equal(entra.entraIdentifier, `https://sts.windows.net/${env.tenantId}/`);
    assert.ok(entra.loginUrl.startsWith(`${env.idpUrl}/`), entra.loginUrl);
    assert.match(entra.thumbprint, /^[0-9A-F]{40}$/);
  });

  step(
    '5. Mimecast: Authentication Profile › paste the Metadata URL, Import, contexts off, Allow Single Sign On, Save and Exit',
    'tutorial-05-mimecast-profile',
    async (page) => {
      await importMetadataIntoProfile(page, env, { description: PROFILE_DESCRIPTION, metadataUrl: entra.metadataUrl });
      // Import filled the IdP fields from Entra's metadata and kept what was typed.
      assert.equal(await page.getByLabel('Issuer URL').inputValue(), entra.entraIdentifier);
      assert.equal(await page.getByLabel('Login URL').inputValue(), entra.loginUrl);
      assert.match(await page.getByLabel('Identity Provider Certificate (Metadata)').inputValue(), /^-----BEGIN CERTIFICATE-----/);
      assert.equal((await page.locator('table.certificates tbody tr td:nth-child(2)').first().textContent())?.trim(), entra.thumbprint);
      assert.equal(await page.getByLabel('Description').inputValue(), PROFILE_DESCRIPTION);
      assert.equal(await page.getByLabel('Provider', { exact: true }).inputValue(), 'entra');
      assert.equal(await page.getByLabel('Enforce SAML Authentication for Mimecast Personal Portal').isChecked(), true);

      await saveProfileAfterImport(page);
      const row = page.locator('table.profiles tbody tr td');
      assert.equal(await row.nth(0).textContent(), PROFILE_DESCRIPTION);
      assert.equal(await row.nth(3).textContent(), entra.entraIdentifier);
      assert.equal(await page.locator('table.profiles .state').getAttribute('class'), 'state state-ready');

      await openAuthenticationProfile(page, env);
      assert.equal(await page.getByLabel('Use Password protected Context').isChecked(), false);
      assert.equal(await page.getByLabel('Use Integrated Authentication Context').isChecked(), false);
      assert.equal(await page.getByLabel('Allow Single Sign On').isChecked(), true);
      assert.equal(await page.getByLabel('Metadata URL', { exact: true }).inputValue(), entra.metadataUrl);
    },
  );

  step('6. Mimecast: Internal Directories › contoso.com › New Address for B.Simon', 'tutorial-06-mimecast-address', async (page) => {
    const added = await addMimecastAddress(page, env, B_SIMON);
    assert.equal(added.toLowerCase(), B_SIMON.upn.toLowerCase());
    assert.equal(await page.locator('table.addresses tbody tr').count(), 1);
  });

  step('7. Entra: Users and groups › Add user/group › B.Simon › Assign', 'tutorial-07-entra-assign', async (page) => {
    await assignUserInEntra(page, env, appId, B_SIMON.upn);
    assert.equal(await page.locator('#assignments tbody tr').count(), 1);
    await openEntraApp(page, env, appId);
    assert.equal(await page.locator('[data-field="assigned-count"]').textContent(), '1');
  });

  step(
    '8. SP-initiated: Login to Mimecast › Entra sign-in › Personal Portal; the SSO log shows the passing report',
    'tutorial-08-sp-initiated',
    async (page) => {
      await startMimecastLogin(page, env, B_SIMON.upn);
      assert.match(page.url(), new RegExp(`^${env.idpUrl}/${env.tenantId}/saml2`));
      await enterEntraCredentials(page, B_SIMON);
      await page.waitForURL(`${env.spUrl}/portal`);
      const facts = await readLandingFacts(page);
      assert.equal(facts['Email Address']?.toLowerCase(), B_SIMON.upn.toLowerCase());
      assert.equal(facts.Flow, 'SP-initiated');
      assert.equal(facts.Account, ACCOUNT.code);
      assert.equal(facts.Issuer, entra.entraIdentifier);

      await openMimecastSection(page, env, 'SSO log');
      await page.getByLabel('Outcome').selectOption('success');
      await page.getByRole('button', { name: 'Filter' }).click();
      // The filter is a GET form: count the rows of the filtered page, not of the one it replaces.
      await page.waitForURL(/[?&]outcome=success(&|$)/);
      assert.equal(await page.locator('table.traces tbody tr').count(), 1);
      await page.getByRole('link', { name: 'Open' }).click();
      await page.waitForURL(/\/traces\/[^/?]+$/);
      assert.equal(await page.locator('p.headline').getAttribute('class'), 'headline outcome-success');
      const statuses = await readCheckStatuses(page);
      assert.ok(Object.keys(statuses).length >= 10, JSON.stringify(statuses));
      for (const [id, status] of Object.entries(statuses)) assert.ok(['pass', 'warn', 'skip'].includes(status), `${id}: ${status}`);
      for (const id of ['status', 'issuer', 'signature', 'audience', 'in-response-to', 'directory-user'])
        assert.equal(statuses[id], 'pass', id);
      const audience = await readCheckRow(page, 'audience');
      assert.equal(audience.expected, setup.identifier);
      assert.equal(audience.received, setup.identifier);
    },
  );

  step('9. IdP-initiated: "Test this application" signs B.Simon in to the Personal Portal', 'tutorial-09-idp-initiated', async (page) => {
    // The app has a Sign on URL, so its Test (console or /test URL) is SP-initiated; this URL is always IdP-initiated.
    await page.goto(`${env.idpUrl}/apps/${appId}/idp-initiated`);
    await enterEntraCredentials(page, B_SIMON);
    await page.waitForURL(`${env.spUrl}/portal`);
    const facts = await readLandingFacts(page);
    assert.equal(facts.Flow, 'IdP-initiated');
    assert.equal(facts['Email Address']?.toLowerCase(), B_SIMON.upn.toLowerCase());
  });

  step('10. My Apps: the Mimecast tile opens the Sign on URL and lands on the Personal Portal', 'tutorial-10-my-apps', async (page) => {
    await page.goto(`${env.idpUrl}/myapps`);
    await enterEntraCredentials(page, B_SIMON);
    await page.waitForURL(`${env.idpUrl}/myapps`);
    const tile = page.locator(`li.tile[data-app-id="${appId}"]`);
    assert.equal(await tile.getAttribute('data-mode'), 'sp');
    assert.equal(await tile.getByRole('link').getAttribute('href'), setup.signOnUrl);
    await tile.getByRole('link', { name: 'Mimecast' }).click();
    await page.waitForURL(`${env.spUrl}/portal`);
    assert.equal((await readLandingFacts(page)).Flow, 'SP-initiated');
  });
});
