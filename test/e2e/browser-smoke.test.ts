import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../../src/runtime/harness.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

/** SP-initiated sign-in in real Chromium: the auto-posted forms run their scripts under the CSP. */
describe('SP-initiated sign-in in Chromium', () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  before(async () => {
    h = await startTestHarness();
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium.close();
    await h.close();
  });

  test('email, Entra sign-in and password, then the Personal Portal', async () => {
    await withPage(chromium.browser, 'sp-initiated-smoke', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      await page.getByLabel('Email Address').fill(IDP_SEED.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForURL(/\/saml2/);
      await page.locator('input[name="loginfmt"]').fill(IDP_SEED.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('input[name="passwd"]').fill(IDP_SEED.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'No', exact: true }).click();
      await page.waitForURL(`${h.spUrl}/portal`);
      assert.match(await page.content(), /B\.Simon@contoso\.com/);
    });
  });
});
