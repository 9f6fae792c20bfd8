import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { describeCertificate } from '../../src/core/saml/certs.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Keeps a full-page picture of a console page, to check the look by eye (test-results/ is not committed). */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `entra-console-${name}.png`), fullPage: true });
}

/** The text of an element, trimmed ('' when it has none). */
async function readText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

const SEEDED_THUMBPRINT = describeCertificate(readKeyPair('idp-signing-1').cert).thumbprint;

/**
 * The admin center's set-up pages in real Chromium: Create a tenant (refused, then made with keys of
 * its own), a Mimecast app there (its own certificate), Basic SAML Configuration filled from
 * Mimecast's SP metadata file (an IdP's metadata refused first), and Test with a Sign on URL going
 * SP-initiated to it.
 */
describe('mock Entra admin center set-up pages in Chromium', () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let dir: string;
  before(async () => {
    h = await startTestHarness();
    chromium = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'mm-upload-'));
  });
  after(async () => {
    await chromium.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Create a tenant, add Mimecast, Upload metadata file, Save, Test SP-initiated', { timeout: 60_000 }, async () => {
    assert.ok(h.idpUrl && h.walkthrough.idp);
    const idpUrl = h.idpUrl;
    // Mimecast's side: a second account, whose SP metadata the admin downloads.
    const account = await fetch(`${h.spUrl}/api/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'CUK77Y55', region: 'eu', domains: ['fabrikam.com'] }),
    });
    assert.equal(account.status, 201);
    const spMetadata = await (await fetch(`${h.spUrl}/sso/CUK77Y55/metadata`)).text();
    const entityId = /entityID="([^"]+)"/.exec(spMetadata)?.[1] ?? '';
    assert.match(entityId, /CUK77Y55$/);
    const spFile = join(dir, 'mimecast-CUK77Y55-sp-metadata.xml');
    writeFileSync(spFile, spMetadata);
    const idpFile = join(dir, 'federationmetadata.xml');
    writeFileSync(
      idpFile,
      await (
        await fetch(
          `${idpUrl}/${h.walkthrough.idp.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${h.walkthrough.idp.appId}`,
        )
      ).text(),
    );

    await withPage(chromium.browser, 'entra-console-setup', async (page) => {
      // Manage tenants › Create a tenant
      await page.goto(idpUrl);
      await page.getByRole('link', { name: 'Manage tenants' }).click();
      await page.getByRole('link', { name: 'Create', exact: true }).click();
      await page.getByLabel('Initial domain name').fill('contoso');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.locator('[data-field="initialDomain"][data-error="in-use"]').waitFor();
      await page.getByLabel('Initial domain name').fill('fabrikam');
      await page.getByLabel('Primary domain (Optional)').fill('fabrikam.com');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      const created = page.locator('[data-notice="created"]');
      await created.waitFor();
      const tenantId = (await created.getAttribute('data-tenant-id')) ?? '';
      const row = page.locator(`tr[data-tenant-id="${tenantId}"]`);
      const tenantThumbprint = await readText(row.locator('[data-field="thumbprint"]'));
      assert.match(tenantThumbprint, /^[0-9A-F]{40}$/);
      assert.notEqual(tenantThumbprint, SEEDED_THUMBPRINT);
      await keepScreenshot(page, 'tenants');

      // Its own Mimecast app, with a certificate of its own.
      await row.getByRole('link', { name: 'fabrikam.onmicrosoft.com' }).click();
      await page.getByRole('link', { name: 'New application' }).click();
      await page.getByLabel('Search application').fill('mimecast');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator('#gallery-results').getByRole('link', { name: 'Mimecast' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Single sign-on' }).click();
      await page.locator('#sso-saml').click();
      const appThumbprint = await readText(page.locator('code[data-field="thumbprint"]'));
      assert.notEqual(appThumbprint, SEEDED_THUMBPRINT);

      // Basic SAML Configuration › Upload metadata file: an IdP's metadata is refused, the SP's fills the form.
      await page.getByRole('link', { name: 'Edit Basic SAML Configuration' }).click();
      await page.getByLabel('Relay State (Optional)').fill('/portal');
      await page.getByLabel('Upload metadata file').setInputFiles(idpFile);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.locator('[data-field="metadataFile"][data-error="no-sp-descriptor"]').waitFor();
      assert.equal(await page.getByLabel('Relay State (Optional)').inputValue(), '/portal', 'the form is kept');
      await page.getByLabel('Upload metadata file').setInputFiles(spFile);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.locator('[data-notice="metadata-uploaded"]').waitFor();
      assert.equal(await page.getByLabel('Identifier (Entity ID) 1', { exact: true }).inputValue(), entityId);
      assert.equal(await page.getByLabel('Reply URL 1', { exact: true }).inputValue(), `${h.spUrl}/login/saml`);
      assert.equal(await page.getByLabel('Relay State (Optional)').inputValue(), '/portal');
      await keepScreenshot(page, 'basic-saml-uploaded');
      await page.getByLabel('Sign on URL (Optional)').fill(`${h.spUrl}/login/saml`);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-notice="basic"]').waitFor();
      assert.equal(await readText(page.locator('[data-field="identifiers"]')), entityId);

      // Test: a Sign on URL, so SP-initiated through it, and the pane says so.
      await page.getByRole('link', { name: 'Test', exact: true }).click();
      const mode = page.locator('#test-mode');
      assert.equal(await mode.getAttribute('data-mode'), 'sp');
      assert.match(await readText(mode), /SP-initiated/);
      await keepScreenshot(page, 'test-sp-initiated');
      await page.getByRole('button', { name: 'Test sign in' }).click();
      await page.waitForURL(`${h.spUrl}/login/saml`);
    });
  });
});
