/**
 * The mock Entra's sign-in pages in Chromium: each step has its field (or primary button) focused
 * on load, so a sign-in runs on the keyboard alone (type, Enter); a temporary password leads to
 * "Update your password"; the error page's "Copy info to clipboard" fills the clipboard; "Forgot my
 * password" opens the password reset stand-in and leads back to "Enter password".
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assignUserToApp, createUser } from '../../src/core/idp/admin.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

const TEMPORARY = 'Temp-0nly-Passw0rd';
const CHOSEN = 'N3w-Chosen-Passw0rd!';

/** Waits until the element with this id holds the focus (autofocus applies once the page has loaded). */
async function expectFocus(page: Page, id: string): Promise<void> {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 5_000 }).catch(() => undefined);
  assert.equal(await page.evaluate(() => document.activeElement?.id ?? null), id);
}

describe('mock Entra sign-in pages in Chromium', { timeout: 90_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let idpUrl: string;
  let tenantId: string;
  let n = 0;

  /** A user with a temporary password, assigned to the Mimecast app and in its Internal Directory. */
  async function addTemporaryUser(authMethod: 'password' | 'multi-factor' = 'password'): Promise<string> {
    assert.ok(h.idp && h.walkthrough.idp);
    n += 1;
    const upn = `Temp.Person${n}@contoso.com`;
    await createUser(h.idp.ctx, tenantId, {
      userPrincipalName: upn,
      displayName: `Temp ${n}`,
      password: TEMPORARY,
      passwordIsTemporary: true,
      authMethod,
    });
    await assignUserToApp(h.idp.ctx, tenantId, h.walkthrough.idp.appId, upn);
    const address = {
      accountCode: SEED.accountCode,
      email: upn,
      globalName: `Temp ${n}`,
      forceChangeAtLogin: false,
      roles: [],
      createdAt: new Date().toISOString(),
    };
    await h.sp.stores.directory.create(address, null);
    return upn;
  }

  before(async () => {
    [h, chromium] = await Promise.all([startTestHarness(), launchChromium()]);
    assert.ok(h.idpUrl && h.walkthrough.idp);
    idpUrl = h.idpUrl;
    tenantId = h.walkthrough.idp.tenantId;
    await chromium.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: idpUrl });
  });
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  test('keyboard only: each page focuses its field, type and Enter sign B.Simon in to Mimecast', async () => {
    await withPage(chromium.browser, 'entra-sign-in-keyboard', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      await page.getByLabel('Email Address').fill(IDP_SEED.userPrincipalName);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/saml2/);
      await expectFocus(page, 'i0116');
      await page.keyboard.type(IDP_SEED.userPrincipalName);
      await page.keyboard.press('Enter');
      await page.locator('#i0118').waitFor();
      await expectFocus(page, 'i0118');
      await page.keyboard.type(IDP_SEED.password);
      await page.keyboard.press('Enter');
      await page.locator('#kmsi-form').waitFor();
      await expectFocus(page, 'idSIButton9');
      assert.equal(await page.locator('#idSIButton9').getAttribute('value'), '1', 'the focused button is Yes');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${h.spUrl}/portal`);
      assert.match(await page.content(), /B\.Simon@contoso\.com/);
    });
  });

  test('a temporary password: "Update your password" on the keyboard, a refusal focuses its field, then the sign-in goes on', async () => {
    const upn = await addTemporaryUser('multi-factor');
    await withPage(chromium.browser, 'entra-sign-in-update-password', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      await page.getByLabel('Email Address').fill(upn);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/saml2/);
      await expectFocus(page, 'i0116');
      await page.keyboard.type(upn);
      await page.keyboard.press('Enter');
      await page.locator('#i0118').waitFor();
      // Typed keys go where the focus is: wait until the page has put it in the password field.
      await expectFocus(page, 'i0118');
      await page.keyboard.type(TEMPORARY);
      await page.keyboard.press('Enter');

      await page.getByRole('heading', { name: 'Update your password' }).waitFor();
      await expectFocus(page, 'currentPassword');
      await page.keyboard.type(TEMPORARY);
      await page.keyboard.press('Tab');
      await page.keyboard.type(CHOSEN);
      await page.keyboard.press('Tab');
      await page.keyboard.type(`${CHOSEN}-typo`);
      await page.keyboard.press('Enter');
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      assert.equal(await refusal.getAttribute('data-error'), 'password-mismatch');
      await expectFocus(page, 'confirmNewPassword');
      assert.equal(await page.locator('#confirmNewPassword').getAttribute('aria-describedby'), 'confirmNewPasswordError');

      await page.getByLabel('Current password').fill(TEMPORARY);
      await page.getByLabel('New password').fill(CHOSEN);
      await page.getByLabel('Confirm password').fill(CHOSEN);
      await page.keyboard.press('Enter');
      // A multi-factor user approves after the update; the approve button has the focus.
      await page.locator('#mfa-form').waitFor();
      await expectFocus(page, 'mfa-approve');
      await page.keyboard.press('Enter');
      await page.locator('#kmsi-form').waitFor();
      // autofocus lands after the form is in the DOM: Enter before it would press nothing.
      await expectFocus(page, 'idSIButton9');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${h.spUrl}/portal`);
    });
    assert.ok(h.idp);
    const stored = await h.idp.ctx.stores.users.verifyPassword(tenantId, upn, CHOSEN);
    assert.equal(stored?.passwordIsTemporary, undefined, 'the new password is stored and no longer temporary');
  });

  test('the test helpers give a new password on "Update your password" when told one, and stop there otherwise', async () => {
    const upn = await addTemporaryUser();
    const stopped = await signInSpInitiated(h, { email: upn, password: TEMPORARY });
    assert.equal(stopped.ok, false);
    assert.match(stopped.page.text, /id="update-password-form"/);
    const done = await signInSpInitiated(h, { email: upn, password: TEMPORARY, newPassword: CHOSEN });
    assert.equal(done.ok, true);
    assert.equal((await signInSpInitiated(h, { email: upn, password: CHOSEN })).ok, true);
  });

  test('the error page: "Copy info to clipboard" copies the troubleshooting details, which are also selectable text', async () => {
    await withPage(chromium.browser, 'entra-error-copy', async (page) => {
      await page.goto(`${idpUrl}/${tenantId}/saml2`);
      const button = page.getByRole('button', { name: 'Copy info to clipboard' });
      await button.waitFor();
      const requestId = (await page.locator('[data-field="request-id"]').textContent()) ?? '';
      const correlationId = (await page.locator('[data-field="correlation-id"]').textContent()) ?? '';
      assert.match(requestId, /^[0-9a-f-]{36}$/);
      await button.click();
      await page.locator('[data-copy-status="troubleshooting-details"]:not(:empty)').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const lines = copied.split('\n');
      assert.equal(
        lines.find((l) => l.startsWith('Request Id:')),
        `Request Id: ${requestId}`,
      );
      assert.equal(
        lines.find((l) => l.startsWith('Correlation Id:')),
        `Correlation Id: ${correlationId}`,
      );
      assert.ok(lines.some((l) => l.startsWith('Timestamp: ')));
      assert.ok(lines.some((l) => l.startsWith('Message: AADSTS750054')));

      // Without the script the same details can be selected and copied by hand.
      const selected = await page.evaluate(() => {
        const list = document.getElementById('troubleshooting-details');
        if (!list) return '';
        window.getSelection()?.selectAllChildren(list);
        return window.getSelection()?.toString() ?? '';
      });
      assert.ok(selected.includes(requestId), selected);
    });
  });

  test('"Forgot my password": the password reset stand-in, and back to "Enter password" on the keyboard', async () => {
    await withPage(chromium.browser, 'entra-forgot-password', async (page) => {
      await page.goto(`${idpUrl}/myapps`);
      await expectFocus(page, 'i0116');
      await page.keyboard.type(IDP_SEED.userPrincipalName);
      await page.keyboard.press('Enter');
      await page.locator('#i0118').waitFor();
      await page.locator('#idA_PWD_ForgotPassword').click();
      await page.getByRole('heading', { name: 'Get back into your account' }).waitFor();
      assert.equal(await page.locator('[data-mock="sspr"]').count(), 1);
      await expectFocus(page, 'idSIButton9');
      await page.keyboard.press('Enter');
      await page.locator('#i0118').waitFor();
      await expectFocus(page, 'i0118');
      await page.keyboard.type(IDP_SEED.password);
      await page.keyboard.press('Enter');
      await page.locator('#kmsi-form').waitFor();
      // autofocus lands after the form is in the DOM: Enter before it would press nothing.
      await expectFocus(page, 'idSIButton9');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${idpUrl}/myapps`);
    });
  });
});
