import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../../src/runtime/harness.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

const ALEX = 'Alex.Wilber@contoso.com';
const IDENTIFIER = 'https://eu-api.mimecast.com/sso/CUK12A34';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Keeps a full-page picture of a console page, to check the look by eye (test-results/ is not committed). */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `entra-console-${name}.png`), fullPage: true });
}

async function sendJson(method: string, url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/**
 * The rehearsal an identity team does in the Entra admin center, in real Chromium against both
 * mock products: new user (its generated password shown before Create), a second Mimecast app from
 * the gallery, Basic SAML Configuration (the duplicate Identifier refused first), the App Federation
 * Metadata Url copied into Mimecast, Alex assigned through the Users and groups picker, then "Test"
 * signs Alex in to Mimecast (IdP-initiated: the app has no Sign on URL).
 */
describe('mock Entra admin center in Chromium', () => {
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

  test('create Alex, add Mimecast from the gallery, configure SAML, copy the metadata URL, assign, Test', { timeout: 30_000 }, async () => {
    const seed = h.walkthrough.idp;
    assert.ok(seed && h.idpUrl);
    const idpUrl = h.idpUrl;
    // Mimecast's side: Alex must be an address of the account for the sign-in to land.
    assert.equal(
      (await sendJson('POST', `${h.spUrl}/api/accounts/CUK12A34/directory`, { email: ALEX, globalName: 'Alex Wilber' })).status,
      201,
    );
    await chromium.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: idpUrl });

    await withPage(chromium.browser, 'entra-console', async (page) => {
      await page.goto(idpUrl);
      await page.getByRole('link', { name: 'contoso.onmicrosoft.com' }).click();

      // Users › All users › New user › Create new user
      await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('link', { name: 'New user' }).click();
      await page.getByLabel('User name').fill('Alex.Wilber');
      await page.getByLabel('Domain').selectOption('contoso.com');
      await page.getByLabel('Display name').fill('Alex Wilber');
      assert.equal(await page.getByLabel('Auto-generate password').isChecked(), true);
      // The generated password is in the field before Create: read-only, revealed by Show password.
      const passwordField = page.locator('#password');
      const shown = await passwordField.inputValue();
      assert.equal(shown.length, 16);
      assert.equal(await passwordField.getAttribute('readonly'), '');
      await page.getByLabel('Show password').check();
      assert.equal(await passwordField.getAttribute('type'), 'text');
      await keepScreenshot(page, 'new-user');
      await page.getByRole('button', { name: 'Review + create' }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      const password = await page.locator('#generatedPassword').inputValue();
      assert.equal(password, shown, 'Create used the password the form showed');

      // Enterprise applications › New application › gallery search › add
      await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Enterprise applications' }).click();
      await page.getByRole('link', { name: 'New application' }).click();
      await page.getByLabel('Search application').fill('mime');
      await page.getByRole('button', { name: 'Search' }).click();
      await keepScreenshot(page, 'gallery');
      await page.locator('#gallery-results').getByRole('link', { name: 'Mimecast' }).click();
      assert.equal(await page.getByLabel('Name').inputValue(), 'Mimecast');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
      const appId = /\/apps\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
      assert.notEqual(appId, seed.appId);

      // Single sign-on › SAML: Test is greyed until Basic SAML Configuration is saved.
      await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Single sign-on' }).click();
      await page.locator('#sso-saml').click();
      assert.equal(await page.locator('#test-sso-button').isDisabled(), true);
      await page.getByRole('link', { name: 'Edit Basic SAML Configuration' }).click();
      await page.getByLabel('Identifier (Entity ID) 1', { exact: true }).fill(IDENTIFIER);
      await page.getByLabel('Reply URL 1', { exact: true }).fill(`${h.spUrl}/login/saml`);
      await page.getByRole('button', { name: 'Save' }).click();
      // The seeded app holds this Identifier: Entra's message beside the field, the values kept.
      await page.locator('[data-error="in-use"]').waitFor();
      assert.equal(await page.getByLabel('Reply URL 1', { exact: true }).inputValue(), `${h.spUrl}/login/saml`);
      await keepScreenshot(page, 'basic-saml-duplicate');
      const retired = await sendJson('PATCH', `${idpUrl}/api/tenants/${seed.tenantId}/apps/${seed.appId}`, {
        identifiers: [`${IDENTIFIER}-retired`],
      });
      assert.equal(retired.status, 200);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-notice="basic"]').waitFor();

      // SAML Certificates: copy the App Federation Metadata Url and import it into Mimecast.
      const field = page.getByRole('textbox', { name: 'App Federation Metadata Url' });
      const metadataUrl = await field.inputValue();
      assert.equal(metadataUrl, `${idpUrl}/${seed.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${appId}`);
      await page.getByRole('button', { name: 'Copy App Federation Metadata Url' }).click();
      await page.locator('[data-copy-status="appFederationMetadataUrl"]', { hasText: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), metadataUrl);
      await keepScreenshot(page, 'saml-setup');
      const imported = await sendJson('POST', `${h.spUrl}/api/accounts/CUK12A34/profile/import-metadata`, { url: metadataUrl });
      assert.equal(imported.status, 200);

      // Users and groups › Add user/group › Add Assignment › Assign
      await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Users and groups' }).click();
      await page.getByRole('link', { name: 'Add user/group' }).click();
      await page.getByRole('link', { name: 'None Selected' }).click();
      await page.getByLabel('Search').fill('alex');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByLabel('Alex Wilber').check();
      await keepScreenshot(page, 'assignment-picker');
      await page.getByRole('button', { name: 'Select', exact: true }).click();
      await page.getByRole('link', { name: '1 user selected.' }).waitFor();
      await keepScreenshot(page, 'add-assignment');
      await page.getByRole('button', { name: 'Assign' }).click();
      await page.locator(`tr[data-upn="${ALEX}"]`).waitFor();
      await keepScreenshot(page, 'users-and-groups');

      // Test: no Sign on URL, so Entra signs Alex in and posts to the Reply URL (IdP-initiated).
      await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Single sign-on' }).click();
      await page.getByRole('link', { name: 'Test', exact: true }).click();
      // The "Test single sign-on" pane: as the current user (nobody is signed in to Entra yet).
      await page.getByRole('heading', { name: /^Test single sign-on with / }).waitFor();
      assert.equal(await page.locator('#test-mode').getAttribute('data-mode'), 'idp');
      await page.getByRole('button', { name: 'Test sign in' }).click();
      await page.locator('input[name="loginfmt"]').fill(ALEX);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('input[name="passwd"]').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The auto-generated password is temporary: Entra asks for a new one first.
      await page.getByRole('heading', { name: 'Update your password' }).waitFor();
      await page.getByLabel('Current password').fill(password);
      await page.getByLabel('New password').fill('Rehearsal-only-N3w!');
      await page.getByLabel('Confirm password').fill('Rehearsal-only-N3w!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'No', exact: true }).click();
      await page.waitForURL(`${h.spUrl}/portal`);
      assert.match(await page.content(), /Alex\.Wilber@contoso\.com/);
    });
  });
});
