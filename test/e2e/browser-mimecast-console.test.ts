import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

/**
 * The Administration Console in real Chromium, as a person uses it: edit the Authentication Profile
 * and Import the mock Entra's App Federation Metadata Url, add an address, sign in from Test SSO and
 * read the report in the SSO log. Runs in order: each step builds on the one before.
 */
describe('Mimecast Administration Console in Chromium', { timeout: 60_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  before(async () => {
    [h, chromium] = await Promise.all([startTestHarness(), launchChromium()]);
  });
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  test('edits the profile: Import fills the fields in place, Save and Exit stores them', async () => {
    const idp = h.walkthrough.idp;
    assert.ok(idp, 'the mock Entra was seeded');
    await withPage(chromium.browser, 'console-profile', async (page) => {
      await page.goto(`${h.spUrl}/`);
      await page.getByRole('link', { name: 'Authentication Profiles' }).first().click();
      await page.getByRole('link', { name: 'Entra ID SSO (walk-through)' }).click();
      await page.getByLabel('Issuer URL').fill('');
      await page.getByLabel('Login URL').fill('');
      await page.getByLabel('Identity Provider Certificate (Metadata)').fill('');
      await page.getByLabel('Use Password protected Context').check();
      await page.getByLabel('Metadata URL', { exact: true }).fill(idp.appFederationMetadataUrl);
      await page.getByRole('button', { name: 'Import' }).click();
      await page.waitForURL(/\/profile\/import$/);

      assert.equal(await page.getByLabel('Issuer URL').inputValue(), `https://sts.windows.net/${idp.tenantId}/`);
      assert.equal(await page.getByLabel('Login URL').inputValue(), idp.loginUrl);
      assert.match(await page.getByLabel('Identity Provider Certificate (Metadata)').inputValue(), /-----BEGIN CERTIFICATE-----/);
      assert.ok((await page.locator('table.certificates tbody tr').count()) >= 1);
      assert.equal(await page.getByLabel('Use Password protected Context').isChecked(), true, 'Import keeps what was ticked');
      assert.equal(await page.locator('#import-status').isVisible(), true);
      assert.equal((await h.sp.stores.profiles.get(SEED.accountCode))?.usePasswordProtectedContext, false, 'nothing saved yet');

      await page.getByRole('button', { name: 'Save and Exit' }).click();
      await page.waitForURL(/\/authentication-profiles\?saved=1$/);
      const profile = await h.sp.stores.profiles.get(SEED.accountCode);
      assert.equal(profile?.usePasswordProtectedContext, true);
      assert.equal(profile?.metadataUrl, idp.appFederationMetadataUrl);
      assert.equal(profile?.issuerUrl, `https://sts.windows.net/${idp.tenantId}/`);
    });
  });

  test('adds an address with New Address, after a Confirm Password that did not match', async () => {
    await withPage(chromium.browser, 'console-new-address', async (page) => {
      await page.goto(`${h.spUrl}/accounts/${SEED.accountCode}`);
      await page.getByRole('link', { name: 'Internal Directories' }).first().click();
      await page.getByRole('link', { name: SEED.domain }).click();
      await page.getByRole('link', { name: 'New Address' }).click();
      await page.getByLabel('Email Address').fill('alex.wilber@contoso.com');
      await page.getByLabel('Global Name').fill('Alex Wilber');
      await page.getByLabel('Password', { exact: true }).fill('Test-only-1');
      await page.getByLabel('Confirm Password').fill('Test-only-2');
      await page.getByLabel('Full Administrator').check();
      await page.getByRole('button', { name: 'Save' }).click();

      // The refusal is a new page from the server: wait for it, then read what it kept.
      await page.locator('#confirmPassword-error').waitFor({ state: 'visible' });
      assert.equal(await page.getByLabel('Email Address').inputValue(), 'alex.wilber@contoso.com');
      assert.equal(await page.getByLabel('Full Administrator').isChecked(), true);
      await page.getByLabel('Confirm Password').fill('Test-only-1');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/internal-directories\/contoso\.com\?added=/);
      assert.equal(await page.locator('tr.just-added td').first().textContent(), 'alex.wilber@contoso.com');
    });
    const user = await h.sp.stores.directory.find(SEED.accountCode, 'alex.wilber@contoso.com');
    assert.deepEqual(user?.roles, ['Full Administrator']);
  });

  test('signs in from Test SSO, then reads the checks of the trace in the SSO log', async () => {
    await withPage(chromium.browser, 'console-sso-log', async (page) => {
      await page.goto(`${h.spUrl}/accounts/${SEED.accountCode}/test-sso`);
      await page.getByRole('button', { name: 'Start SP-initiated sign-in' }).click();
      await page.waitForURL(/\/saml2/);
      await page.locator('input[name="loginfmt"]').fill(IDP_SEED.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('input[name="passwd"]').fill(IDP_SEED.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'No', exact: true }).click();
      await page.waitForURL(`${h.spUrl}/portal`);

      await page.goto(`${h.spUrl}/accounts/${SEED.accountCode}`);
      await page.getByRole('link', { name: 'SSO log' }).first().click();
      await page.getByLabel('Outcome').selectOption('success');
      await page.getByRole('button', { name: 'Filter' }).click();
      // Each Open link says what it opens: here the newest SAML response, for the user who signed in.
      const open = page.getByRole('link', { name: /^Open the trace of the SAML response from the IdP for / }).first();
      const label = (await open.getAttribute('aria-label')) ?? '';
      assert.ok(label.toLowerCase().includes(IDP_SEED.userPrincipalName.toLowerCase()), label);
      await open.click();
      await page.waitForURL(/\/traces\/[^/?]+$/);

      const rows = page.locator('table.checks tbody tr');
      assert.ok((await rows.count()) >= 10);
      const statuses = await page.locator('table.checks tbody tr td:first-child').allTextContents();
      assert.equal(
        statuses.some((s) => s.trim() === 'fail'),
        false,
      );
      assert.equal((await page.locator('tr[data-check="signature"] td').first().textContent())?.trim(), 'pass');
      assert.equal(await page.locator('pre.xml mark').count(), 2, 'the signed ID and the Reference to it');
      assert.equal(await page.getByRole('link', { name: 'Download capture' }).isVisible(), true);
    });
  });
});
