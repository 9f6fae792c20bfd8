import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../../src/runtime/harness.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { type LaunchedBrowser, launchChromium, withPage } from '../_helpers/chromium.js';
import { findAxeViolations, findCardOverflow, findPageOverflow, findScrollingTables } from '../_helpers/page-checks.js';
import { type PageEnv, preparePageEnv } from '../_helpers/page-env.js';
import { describePage, PAGE_ROUTES } from '../_helpers/page-routes.js';
import { openPage } from '../_helpers/page-states.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * Every page of both apps (test/_helpers/page-routes.ts) in real Chromium, at a desktop and a phone
 * width: no serious or critical axe-core violation, nothing drawn past its card; at desktop width no
 * table that needs its scroll region, at phone width no sideways page scroll. One browser, one harness, the pages one after another.
 */
describe('every page in Chromium: axe-core, cards, phone width', { timeout: 240_000 }, () => {
  let h: Harness;
  let chromium: LaunchedBrowser;
  let env: PageEnv;
  before(
    async () => {
      [h, chromium] = await Promise.all([startTestHarness(), launchChromium()]);
      env = await preparePageEnv(h);
    },
    { timeout: 30_000 },
  );
  after(async () => {
    await chromium?.close();
    await h?.close();
  });

  for (const entry of PAGE_ROUTES) {
    const name = describePage(entry);
    test(name, { timeout: 30_000 }, async () => {
      await withPage(chromium.browser, `a11y ${name}`, async (page) => {
        await page.setViewportSize(DESKTOP);
        await openPage(page, env, entry);
        const desktop = [...(await findAxeViolations(page)), ...(await findCardOverflow(page)), ...(await findScrollingTables(page))];
        const problems = desktop.map((p) => `${DESKTOP.width}px: ${p}`);
        await page.setViewportSize(PHONE);
        const phone = [...(await findAxeViolations(page)), ...(await findCardOverflow(page)), ...(await findPageOverflow(page))];
        problems.push(...phone.map((p) => `${PHONE.width}px: ${p}`));
        assert.deepEqual(problems, [], `${name}:\n${problems.join('\n')}`);
      });
    });
  }
});
