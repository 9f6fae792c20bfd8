import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../../src/runtime/harness.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';
import {
  addMimecastAddress,
  assignUserInEntra,
  B_SIMON,
  configureTutorial,
  createEntraUser,
  createTenantAndAccount,
  editBasicSamlConfiguration,
  enterEntraCredentials,
  type MimecastSetupValues,
  readCheckRow,
  readCheckStatuses,
  readLandingFacts,
  saveProfileContexts,
  signInWithWindowsHello,
  startMimecastLogin,
  type TutorialEnv,
  type TutorialUser,
} from '../_helpers/tutorial-steps.js';

/** A user who signs in with multi-factor authentication; the password is test-only. */
const ADELE: TutorialUser = {
  upnLocal: 'Adele.Vance',
  upn: 'Adele.Vance@contoso.com',
  displayName: 'Adele Vance',
  password: 'Rehearsal-only-Pw2!',
  authMethod: 'multi-factor',
};
const WRONG_REPLY_URL = 'https://eu-api.mimecast.com/login/saml/wrong';
const WRONG_IDENTIFIER = 'https://eu-api.mimecast.com/sso/CWRONG9';

/** Mimecast's failure page: the first failing check's code, then the linked report. */
async function openFailureReport(page: Page, env: TutorialEnv): Promise<{ firstFailure: string; howToFix: string }> {
  await page.locator('p.failure').waitFor();
  assert.equal(page.url(), `${env.spUrl}/login/saml`, 'the failure page answers the post to the Reply URL');
  const firstFailure = (await page.locator('dl.facts code.error-code').textContent())?.trim() ?? '';
  const howToFix = (await page.locator('dl.facts dt:text-is("How to fix it") + dd').textContent())?.trim() ?? '';
  await page.getByRole('link', { name: 'Open the SAML trace report' }).click();
  await page.waitForURL(/\/traces\/[^/?]+$/);
  assert.equal(await page.locator('p.headline').getAttribute('class'), 'headline outcome-failure');
  return { firstFailure, howToFix };
}

/**
 * The tutorial's usual mistakes, each made in a console and seen in the browser: a context switch
 * left on for a Windows Hello (passwordless) sign-in (AADSTS75011 on Entra's page), a Reply URL that is not Mimecast's
 * (AADSTS50011 on Entra's page), and an Identifier that is not the account's (Mimecast's audience
 * check). Starts from the tutorial's end state, configured through the consoles.
 */
describe('the Entra tutorial for Mimecast: the usual mistakes, in Chromium', { timeout: 120_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let env: TutorialEnv;
  let appId = '';
  let setup: MimecastSetupValues;

  before(
    async () => {
      [h, chromium] = await Promise.all([startTestHarness({ seed: false }), launchChromium()]);
      env = await createTenantAndAccount(h);
      ({ appId, setup } = await withPage(chromium.browser, 'tutorial-failures-setup', (page) => configureTutorial(page, env)));
    },
    // The whole tutorial clicked through once: about 15 s alone, more beside the rest of the suite.
    { timeout: 60_000 },
  );
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  test('(a) "Use Password protected Context" and a Windows Hello sign-in: AADSTS75011 on Entra\'s page, nothing reaches Mimecast', {
    timeout: 20_000,
  }, async () => {
    await withPage(chromium.browser, 'tutorial-failure-a-context', async (page) => {
      await saveProfileContexts(page, env, { passwordProtected: true, integrated: false });
      await createEntraUser(page, env, ADELE);
      await addMimecastAddress(page, env, ADELE);
      await assignUserInEntra(page, env, appId, ADELE.upn);

      await startMimecastLogin(page, env, ADELE.upn);
      await signInWithWindowsHello(page, ADELE.upn);
      // Entra stops the user on its own page; the Reply URL is never posted to.
      const error = page.locator('p.error-line');
      await error.waitFor();
      assert.ok(page.url().startsWith(env.idpUrl), page.url());
      assert.equal(await error.getAttribute('data-aadsts'), '75011');
      assert.match((await page.locator('[data-field="correlation-id"]').textContent()) ?? '', /^[0-9a-f-]{36}$/);
    });
  });

  test("(b) a Reply URL that is not Mimecast's: AADSTS50011 on Entra's page; restored, the multi-factor user signs in", {
    timeout: 20_000,
  }, async () => {
    await withPage(chromium.browser, 'tutorial-failure-b-reply-url', async (page) => {
      await saveProfileContexts(page, env, { passwordProtected: false, integrated: false });
      const wrong = await editBasicSamlConfiguration(page, env, appId, { replyUrl: WRONG_REPLY_URL });
      assert.equal(wrong.replyUrls, WRONG_REPLY_URL);

      await startMimecastLogin(page, env, B_SIMON.upn);
      const error = page.locator('p.error-line');
      await error.waitFor();
      assert.match(page.url(), new RegExp(`^${env.idpUrl}/${env.tenantId}/saml2`));
      assert.equal(await error.getAttribute('data-aadsts'), '50011');
      assert.equal(await error.getAttribute('data-code'), 'IDP_AADSTS50011');
      assert.match((await page.locator('[data-field="request-id"]').textContent()) ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(await page.locator('input[name="loginfmt"]').count(), 0, 'stopped before the sign-in page');

      const restored = await editBasicSamlConfiguration(page, env, appId, { replyUrl: setup.replyUrl });
      assert.equal(restored.replyUrls, setup.replyUrl);
      await startMimecastLogin(page, env, ADELE.upn);
      await enterEntraCredentials(page, ADELE);
      await page.waitForURL(`${env.spUrl}/portal`);
      const facts = await readLandingFacts(page);
      assert.equal(facts['Email Address']?.toLowerCase(), ADELE.upn.toLowerCase());
      assert.equal(facts.Flow, 'SP-initiated');
    });
  });

  test("(c) an Identifier that is not the account's, IdP-initiated from Test: the audience check names the expected Identifier", {
    timeout: 20_000,
  }, async () => {
    await withPage(chromium.browser, 'tutorial-failure-c-identifier', async (page) => {
      // Without a Sign on URL, Entra's Test signs in IdP-initiated (with one, it would open Mimecast).
      const saved = await editBasicSamlConfiguration(page, env, appId, {
        identifier: WRONG_IDENTIFIER,
        replyUrl: setup.replyUrl,
        signOnUrl: '',
      });
      assert.equal(saved.identifiers, WRONG_IDENTIFIER);
      const testButton = page.getByRole('link', { name: 'Test', exact: true });
      assert.equal(await testButton.getAttribute('data-mode'), 'idp');

      await testButton.click();
      // "Sign in as someone else": the sign-in page even if an earlier step left this browser signed in.
      await page.getByLabel('Sign in as someone else').check();
      await page.getByRole('button', { name: 'Test sign in' }).click();
      await enterEntraCredentials(page, B_SIMON);
      const { firstFailure } = await openFailureReport(page, env);
      // Only the Identifier is wrong: node-saml's second gate refuses the same audience; nothing else fails.
      const failing = Object.entries(await readCheckStatuses(page))
        .filter(([, status]) => status === 'fail')
        .map(([id]) => id);
      assert.deepEqual(failing.sort(), ['audience', 'node-saml']);
      assert.ok(['SP_AUDIENCE_MISMATCH', 'SP_NODE_SAML_REJECTED'].includes(firstFailure), firstFailure);
      const audience = await readCheckRow(page, 'audience');
      assert.equal(audience.status, 'fail');
      assert.equal(audience.code, 'SP_AUDIENCE_MISMATCH');
      assert.equal(audience.expected, setup.identifier);
      assert.equal(audience.received, WRONG_IDENTIFIER);
      assert.ok(audience.hint.includes(setup.identifier), audience.hint);
    });
  });
});
