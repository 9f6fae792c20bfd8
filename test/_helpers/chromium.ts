/**
 * Debian's Chromium driven by playwright-core, launched as these machines require: headless, no
 * sandbox (root), no background networking, a fresh profile per launch. Never downloads a browser.
 * `withPage` saves a screenshot under test-results/ when the body throws, then rethrows.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export interface LaunchedBrowser {
  /** One persistent context: the fresh --user-data-dir the launch asked for. */
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir; fails loudly when Debian's chromium is missing. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does.`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'mm-chromium-'));
  // playwright passes the profile folder as --user-data-dir itself when launched persistent.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body` with a new page and no cookies (each test starts signed out everywhere); on failure
 * writes test-results/screenshots/<name>.png and rethrows.
 */
export async function withPage<T>(context: BrowserContext, name: string, body: (page: Page) => Promise<T>): Promise<T> {
  await context.clearCookies();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  try {
    return await body(page);
  } catch (error) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page
      .screenshot({ path: join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), fullPage: true })
      .catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}
