/**
 * How the browser reaches each entry of page-routes.ts: the sign-ins, the sign-in steps stopped on
 * one of Entra's pages, the auto-posted SAML forms held so that their page stays, the forms sent.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type PageEnv, PEOPLE, type Person } from './page-env.js';
import { fillPath, type PageRoute, type PageState } from './page-routes.js';
import { enterEntraCredentials } from './tutorial-steps.js';

/**
 * Waits for the document to finish loading. Not waitForLoadState: once a page's script has posted
 * a form that was held (204), playwright counts the page as navigating still and never reports load.
 */
async function waitForDocument(page: Page): Promise<void> {
  await page.waitForFunction(() => document.readyState === 'complete');
}

/** Waits for the main frame's next document to load after `action`. */
async function navigateBy(page: Page, action: () => Promise<unknown>): Promise<void> {
  const committed = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await action();
  await committed;
  await waitForDocument(page);
}

/**
 * Answers the page's form posts to `origin` with 204 No Content, which leaves the posting page in
 * place; `held` resolves once one was.
 */
async function holdPostsTo(page: Page, origin: string): Promise<{ held: Promise<void> }> {
  let held: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    held = resolve;
  });
  await page.route(
    (url) => url.origin === origin,
    async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fulfill({ status: 204 });
      held();
    },
  );
  return { held: done };
}

/** "Login to Mimecast" with the address: the browser ends on Entra's "Sign in" page. */
async function startSignIn(page: Page, env: PageEnv, person: Person): Promise<void> {
  await page.goto(`${env.spUrl}/login/saml?email=${encodeURIComponent(person.upn)}`);
  await page.waitForURL((url) => url.href.startsWith(env.idpUrl));
  await page.locator('input[name="loginfmt"]').waitFor();
}

async function typeUser(page: Page, upn: string): Promise<void> {
  await page.locator('input[name="loginfmt"]').fill(upn);
  await navigateBy(page, () => page.getByRole('button', { name: 'Next' }).click());
}

async function typePassword(page: Page, person: Person, password = person.password): Promise<void> {
  await typeUser(page, person.upn);
  await page.locator('input[name="passwd"]').fill(password);
  await navigateBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
}

/** Signed in to Mimecast through the mock Entra: ends on the landing page. */
async function signInToMimecast(page: Page, env: PageEnv, person: Person): Promise<void> {
  await startSignIn(page, env, person);
  await enterEntraCredentials(page, person);
  await page.waitForURL((url) => url.href.startsWith(env.spUrl) && /^\/(portal|administration)$/.test(url.pathname));
}

/** Signed in to the mock Entra only: ends on My Apps. */
async function signInToEntra(page: Page, env: PageEnv, person: Person): Promise<void> {
  await page.goto(`${env.idpUrl}/myapps`);
  await enterEntraCredentials(page, person);
  await page.waitForURL(`${env.idpUrl}/myapps`);
}

/** A response Mimecast cannot read, posted to the ACS from Mimecast's own page. */
async function postRefusedResponse(page: Page, env: PageEnv): Promise<void> {
  await page.goto(`${env.spUrl}/login/saml`);
  await navigateBy(page, () =>
    page.evaluate((value) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/login/saml';
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = 'SAMLResponse';
      field.value = value;
      form.append(field);
      document.body.append(form);
      form.submit();
    }, btoa('<not-saml/>')),
  );
}

/** The GET page of the form, filled, its buttons pressed in order (`#id` or the button's name). */
async function submitForm(page: Page, env: PageEnv, entry: PageRoute, origin: string): Promise<void> {
  await page.goto(`${origin}${fillPath(entry, env.values, entry.from ?? entry.route)}`);
  // A required field's label ends with an asterisk.
  for (const [label, value] of Object.entries(entry.fill ?? {}))
    await page.getByLabel(new RegExp(`^${escapeRegExp(label)}( \\*)?$`)).fill(value);
  for (const name of entry.press ?? []) {
    const button = name.startsWith('#') ? page.locator(name) : page.getByRole('button', { name, exact: true });
    await navigateBy(page, () => button.click());
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Opener = (page: Page, env: PageEnv, url: string, entry: PageRoute) => Promise<void>;

const OPENERS: Record<PageState, Opener> = {
  anonymous: async (page, _env, url) => {
    await page.goto(url);
  },
  'mimecast-user': async (page, env, url) => {
    await signInToMimecast(page, env, PEOPLE.user);
    await page.goto(url);
  },
  'mimecast-admin': async (page, env, url) => {
    await signInToMimecast(page, env, PEOPLE.admin);
    await page.goto(url);
  },
  'entra-user': async (page, env, url) => {
    await signInToEntra(page, env, PEOPLE.user);
    await page.goto(url);
  },
  'auto-post': async (page, env, url, entry) => {
    const { held } = await holdPostsTo(page, entry.app === 'sp' ? env.idpUrl : env.spUrl);
    await page.goto(url, { waitUntil: 'commit' });
    await held;
  },
  'entra-sign-in': (page, env) => startSignIn(page, env, PEOPLE.user),
  'entra-unknown-user': async (page, env) => {
    await startSignIn(page, env, PEOPLE.user);
    await typeUser(page, 'nobody@contoso.com');
  },
  'entra-password': async (page, env) => {
    await startSignIn(page, env, PEOPLE.user);
    await typeUser(page, PEOPLE.user.upn);
  },
  'entra-wrong-password': async (page, env) => {
    await startSignIn(page, env, PEOPLE.user);
    await typePassword(page, PEOPLE.user, 'not-the-password');
  },
  'entra-mfa': async (page, env) => {
    await startSignIn(page, env, PEOPLE.mfa);
    await typePassword(page, PEOPLE.mfa);
  },
  'entra-update-password': async (page, env) => {
    await startSignIn(page, env, PEOPLE.temporary);
    await typePassword(page, PEOPLE.temporary);
  },
  'entra-kmsi': async (page, env) => {
    await startSignIn(page, env, PEOPLE.user);
    await typePassword(page, PEOPLE.user);
  },
  'entra-working': async (page, env) => {
    await startSignIn(page, env, PEOPLE.user);
    await typePassword(page, PEOPLE.user);
    const { held } = await holdPostsTo(page, env.spUrl);
    await navigateBy(page, () => page.getByRole('button', { name: 'No', exact: true }).click());
    await held;
  },
  // Signed in to Mimecast as B.Simon, then to Entra as someone else: Mimecast's logout names B.Simon.
  'entra-still-signed-in': async (page, env) => {
    await signInToMimecast(page, env, PEOPLE.user);
    await page.context().clearCookies({ name: 'ESTSAUTH' });
    await signInToEntra(page, env, PEOPLE.admin);
    await page.goto(`${env.spUrl}/logout/saml`);
    await page.waitForURL((url) => url.href.startsWith(env.idpUrl));
  },
  'mimecast-failure': (page, env) => postRefusedResponse(page, env),
  submitted: (page, env, url, entry) => submitForm(page, env, entry, new URL(url).origin),
};

/** Brings `page` to the entry's page and checks it is there (origin and path). */
export async function openPage(page: Page, env: PageEnv, entry: PageRoute): Promise<void> {
  const origin = entry.app === 'sp' ? env.spUrl : env.idpUrl;
  const path = fillPath(entry, env.values);
  await OPENERS[entry.state](page, env, `${origin}${path}`, entry);
  await waitForDocument(page);
  const at = new URL(page.url());
  assert.equal(`${at.origin}${at.pathname}`, `${origin}${path.split('?')[0]}`, `the browser reached ${entry.route}`);
  if (entry.name === 'refused') {
    const shown = await page.locator('[aria-invalid="true"], [role="alert"]').count();
    assert.ok(shown > 0, `${entry.route}: the form was refused with a field error or an alert`);
  }
}
