/**
 * The mock Mimecast's own pages in real Chromium: the failure page after an IdP refusal (one
 * headline, the fix and where it lives, only the status check failed), the SSO log's link names and
 * a request's report, the header once signed in, editing and deleting an address, and the SP
 * metadata download. Each test starts signed out everywhere.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildEntraResponse } from '../../src/core/idp/response-builder.js';
import { STATUS } from '../../src/core/saml/constants.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';

const IDENTIFIER = `https://eu-api.mimecast.com/sso/${SEED.accountCode}`;
const DOMAIN_PAGE = `/accounts/${SEED.accountCode}/internal-directories/${SEED.domain}`;

/** The check rows of the open report: id → status. */
async function readCheckRows(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('table.checks tbody tr');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const id = (await rows.nth(i).getAttribute('data-check')) ?? '';
    out[id] = ((await rows.nth(i).locator('td').first().textContent()) ?? '').trim();
  }
  return out;
}

describe('Mimecast pages in Chromium: failure page, SSO log, header, Internal Directories, metadata', { timeout: 90_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let tenantId = '';
  before(async () => {
    [h, chromium] = await Promise.all([startTestHarness(), launchChromium()]);
    assert.ok(h.walkthrough.idp, 'the mock Entra was seeded');
    tenantId = h.walkthrough.idp.tenantId;
  });
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  /** An Entra-shaped refusal (no assertion, no Destination), posted to the ACS from the page as Entra's "Working..." page does. */
  async function postRefusal(page: Page, status: { code: string; subCode?: string; message: string }, inResponseTo: string | null) {
    const built = buildEntraResponse({
      tenantId,
      destination: null,
      audience: IDENTIFIER,
      inResponseTo,
      user: { userPrincipalName: '', objectId: '', displayName: '' },
      issueInstant: new Date(),
      ids: { responseId: `_${randomUUID()}`, assertionId: `_${randomUUID()}` },
      status,
      signing: { key: '', cert: '', option: 'none', algorithm: 'sha256' },
    });
    await page.evaluate(
      ([action, value]) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action as string;
        const field = document.createElement('input');
        field.type = 'hidden';
        field.name = 'SAMLResponse';
        field.value = value as string;
        form.append(field);
        document.body.append(form);
        form.submit();
      },
      [`${h.spUrl}/login/saml`, built.base64],
    );
    await page.locator('p.failure').waitFor();
  }

  test('AADSTS75011 after an SP-initiated start: one headline, the context switches and where they live, no spurious rows', async () => {
    await withPage(chromium.browser, 'sp-pages-refusal', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      await page.getByLabel('Email Address').fill(SEED.userEmail);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForURL(/\/saml2/);
      const [sent] = await h.sp.stores.traces.list({ kind: 'authn-request', limit: 1 });
      const requestId = sent?.summary.responseId;
      assert.ok(requestId);
      const message = `AADSTS75011: Authentication method 'X509, MultiFactor' by which the user authenticated with the service doesn't match requested authentication method 'Password, ProtectedTransport'.\nTrace ID: ${randomUUID()}`;
      await postRefusal(page, { code: STATUS.requester, subCode: STATUS.requestDenied, message }, requestId);

      const headline = page.locator('[data-headline]');
      assert.equal(await headline.count(), 1, 'one headline');
      assert.equal(await headline.getAttribute('data-status'), 'Requester');
      assert.equal(await headline.getAttribute('data-sub-status'), 'RequestDenied');
      assert.equal(await headline.getAttribute('data-aadsts'), '75011');
      assert.match((await page.locator('blockquote.idp-message').textContent()) ?? '', /^AADSTS75011: /);
      assert.equal(await page.locator('code.error-code').count(), 0, "not the status check's code");
      const fix = page.locator('dl.facts dt:text-is("How to fix it") + dd');
      assert.equal(await fix.getAttribute('data-fix'), 'authn-context');
      assert.ok(((await fix.textContent()) ?? '').includes('Use Password protected Context'));
      const profiles = page.getByRole('link', { name: 'Open Authentication Profiles' });
      assert.equal(await profiles.getAttribute('href'), `/accounts/${SEED.accountCode}/authentication-profiles`);

      await page.getByRole('link', { name: 'Open the SAML trace report' }).click();
      await page.waitForURL(/\/traces\/[^/?]+$/);
      assert.equal(await page.locator('.idp-refusal').getAttribute('data-fix'), 'authn-context');
      const rows = await readCheckRows(page);
      assert.deepEqual(
        Object.entries(rows)
          .filter(([, s]) => s === 'fail')
          .map(([id]) => id),
        ['status'],
      );
      for (const id of ['in-response-to', 'idp-initiated', 'audience']) assert.equal(rows[id], 'skip', id);
      assert.equal((await page.locator('dl.facts dt:text-is("Flow") + dd').textContent())?.trim(), 'sp-initiated');
    });
  });

  test('an AADSTS code with no known fix, IdP-initiated: the IdP\'s sign-in logs, and no "IdP-initiated: pass" row', async () => {
    await withPage(chromium.browser, 'sp-pages-refusal-unknown', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      await postRefusal(page, { code: STATUS.responder, message: 'AADSTS9999999: Something only the IdP knows.' }, null);
      assert.equal(await page.locator('[data-headline]').getAttribute('data-status'), 'Responder');
      assert.equal(await page.locator('dl.facts dt:text-is("How to fix it") + dd').getAttribute('data-fix'), 'idp-sign-in-logs');
      await page.getByRole('link', { name: 'Open the SAML trace report' }).click();
      await page.waitForURL(/\/traces\/[^/?]+$/);
      const rows = await readCheckRows(page);
      assert.equal(rows['idp-initiated'], 'skip');
      assert.equal(Object.values(rows).filter((s) => s === 'fail').length, 1);
    });
  });

  test('the SSO log names each Open link; an AuthnRequest reads "Request ID" and has no pass/fail tally', async () => {
    await withPage(chromium.browser, 'sp-pages-sso-log', async (page) => {
      await page.goto(`${h.spUrl}/traces`);
      const links = page.getByRole('link', { name: /^Open the trace of the / });
      const names = await links.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      assert.ok(names.length >= 3, names.join('\n'));
      assert.equal(await page.getByRole('link', { name: 'Open', exact: true }).count(), 0, 'no link is just "Open"');
      await page
        .getByRole('link', { name: /^Open the trace of the AuthnRequest sent to the IdP / })
        .first()
        .click();
      await page.waitForURL(/\/traces\/[^/?]+$/);
      assert.equal(await page.locator('dl.facts dt:text-is("Request ID")').count(), 1);
      assert.equal(await page.locator('dl.facts dt:text-is("Response ID")').count(), 0);
      assert.equal(await page.locator('[data-tally="none"]').count(), 1);
      assert.equal(await page.locator('[data-tally="checks"]').count(), 0);
    });
  });

  test('the header shows the signed-in address and Log out, which signs out with Entra; then Login again', async () => {
    await withPage(chromium.browser, 'sp-pages-header', async (page) => {
      await page.goto(`${h.spUrl}/login/saml`);
      const nav = page.getByRole('navigation', { name: 'Harness' });
      assert.equal(await nav.getByRole('link', { name: 'Login' }).count(), 1);
      await page.getByLabel('Email Address').fill(SEED.userEmail);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('input[name="loginfmt"]').fill(IDP_SEED.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('input[name="passwd"]').fill(IDP_SEED.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'No', exact: true }).click();
      await page.waitForURL(`${h.spUrl}/portal`);

      assert.equal((await nav.locator('[data-signed-in]').textContent())?.toLowerCase(), SEED.userEmail.toLowerCase());
      assert.equal(await nav.getByRole('link', { name: 'Login' }).count(), 0);
      await nav.getByRole('link', { name: 'Log out' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${h.spUrl}/logout/saml`));
      assert.equal(await page.locator('section[data-outcome]').getAttribute('data-outcome'), 'idp-confirmed');
      assert.equal(await nav.locator('[data-signed-in]').count(), 0);
      assert.equal(await nav.getByRole('link', { name: 'Login' }).count(), 1);
    });
  });

  test('edits an address after a refused save, then deletes it from the confirm page (Cancel first)', async () => {
    const email = 'megan.bowen@contoso.com';
    const created = await fetch(`${h.spUrl}/api/accounts/${SEED.accountCode}/directory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, globalName: 'Megan' }),
    });
    assert.equal(created.status, 201);
    await withPage(chromium.browser, 'sp-pages-address', async (page) => {
      await page.goto(`${h.spUrl}${DOMAIN_PAGE}`);
      await page.getByRole('link', { name: `Edit ${email}` }).click();
      await page.getByLabel('Global Name').fill('M'.repeat(201));
      await page.getByLabel('Basic Administrator').check();
      await page.getByRole('button', { name: 'Save' }).click();
      // The refusal is a new page from the server: wait for it, then read what it kept.
      await page.locator('#globalName-error').waitFor({ state: 'visible' });
      assert.equal(await page.getByLabel('Basic Administrator').isChecked(), true, 'what was ticked is kept');
      await page.getByLabel('Global Name').fill('Megan Bowen');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\?updated=/);
      let user = await h.sp.stores.directory.find(SEED.accountCode, email);
      assert.equal(user?.globalName, 'Megan Bowen');
      assert.deepEqual(user?.roles, ['Basic Administrator']);

      await page.getByRole('link', { name: `Delete ${email}` }).click();
      assert.ok(((await page.locator('#delete-question').textContent()) ?? '').includes(email));
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.waitForURL(`${h.spUrl}${DOMAIN_PAGE}`);
      assert.ok(await h.sp.stores.directory.find(SEED.accountCode, email), 'Cancel deletes nothing');
      await page.getByRole('link', { name: `Delete ${email}` }).click();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL(`${h.spUrl}${DOMAIN_PAGE}`);
      assert.equal(await page.locator('[data-notice="removed"]').isVisible(), true);
      assert.equal(await page.getByRole('link', { name: `Edit ${email}` }).count(), 0);
      user = await h.sp.stores.directory.find(SEED.accountCode, email);
      assert.equal(user, null);
    });
  });

  test('"Download the metadata file" saves the SP metadata with its file name', async () => {
    await withPage(chromium.browser, 'sp-pages-metadata', async (page) => {
      await page.goto(`${h.spUrl}/accounts/${SEED.accountCode}`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the metadata file' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `mimecast-${SEED.accountCode}-sp-metadata.xml`);
      const path = await download.path();
      const xml = readFileSync(path, 'utf8');
      assert.match(xml, new RegExp(`<(md:)?EntityDescriptor [^>]*entityID="${IDENTIFIER.replace(/[.]/g, '\\.')}"`));
      assert.match(xml, /<(md:)?AssertionConsumerService /);
    });
  });
});
