/**
 * The steps of the Entra ID "Configure Mimecast SSO" tutorial as a person does them in the two
 * consoles, in real Chromium: the mock Entra admin center and the Mimecast Administration Console.
 * Each step navigates from a console's start page by its links, fills the fields by their labels
 * and waits for the structural marker the page shows once it has saved (a URL, a data-notice).
 * The tests assert on what the steps return and on the pages they leave open.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import type { Harness } from '../../src/runtime/harness.js';

/** The Entra tenant and the Mimecast account that exist before SSO is configured. */
export const TENANT = { name: 'contoso.onmicrosoft.com', domain: 'contoso.com' } as const;
export const ACCOUNT = { code: 'CUK12A34', region: 'eu', name: 'Contoso', domain: 'contoso.com' } as const;

/** A user to create in Entra and add to the Mimecast directory; the password is test-only. */
export interface TutorialUser {
  upnLocal: string;
  upn: string;
  displayName: string;
  password: string;
  authMethod: 'password' | 'multi-factor' | 'windows-integrated' | 'certificate';
}

export const B_SIMON: TutorialUser = {
  upnLocal: 'B.Simon',
  upn: 'B.Simon@contoso.com',
  displayName: 'B.Simon',
  password: 'Rehearsal-only-Pw1!',
  authMethod: 'password',
};

/** Both running apps and the tenant the JSON API created. */
export interface TutorialEnv {
  spUrl: string;
  idpUrl: string;
  tenantId: string;
}

/** What the Mimecast "Set up in Entra" page tells a person to type into Basic SAML Configuration. */
export interface MimecastSetupValues {
  identifier: string;
  replyUrl: string;
  signOnUrl: string;
  logoutUrl: string;
}

/** What Entra's "Set up Single Sign-On with SAML" page shows once Basic SAML Configuration is saved. */
export interface EntraSamlValues {
  metadataUrl: string;
  loginUrl: string;
  entraIdentifier: string;
  thumbprint: string;
  /** What the clipboard held after "Copy App Federation Metadata Url". */
  clipboard: string;
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 201, `POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * The two things that exist before anyone configures SSO: the Entra tenant (with its verified
 * domain) and the Mimecast account. Created through the two JSON APIs on an empty harness.
 */
export async function createTenantAndAccount(h: Harness): Promise<TutorialEnv> {
  assert.ok(h.idpUrl, 'the mock Entra runs');
  const tenant = await postJson(`${h.idpUrl}/api/tenants`, { name: TENANT.name, verifiedDomains: [TENANT.domain] });
  assert.equal(typeof tenant.tenantId, 'string');
  await postJson(`${h.spUrl}/api/accounts`, { code: ACCOUNT.code, region: ACCOUNT.region, name: ACCOUNT.name, domains: [ACCOUNT.domain] });
  return { spUrl: h.spUrl, idpUrl: h.idpUrl, tenantId: String(tenant.tenantId) };
}

/** The copy buttons of both consoles write to the clipboard; the test reads it back. */
export async function allowClipboard(context: BrowserContext, env: TutorialEnv): Promise<void> {
  for (const origin of [env.idpUrl, env.spUrl]) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

// ---------------------------------------------------------------------------------------------
// Microsoft Entra admin center

/** The admin center's tenant picker › the tenant: lands on Enterprise applications. */
export async function openEntraTenant(page: Page, env: TutorialEnv): Promise<void> {
  await page.goto(env.idpUrl);
  await page.getByRole('link', { name: TENANT.name }).click();
  await page.waitForURL(`${env.idpUrl}/admin/${env.tenantId}/enterprise-apps`);
}

/** Users › New user › Create new user › Review + create › Create, with a typed password. */
export async function createEntraUser(page: Page, env: TutorialEnv, user: TutorialUser): Promise<{ reviewed: string; created: string }> {
  await openEntraTenant(page, env);
  await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'New user' }).click();
  await page.getByLabel('User name').fill(user.upnLocal);
  await page.getByLabel('Domain').selectOption(TENANT.domain);
  await page.getByLabel('Display name').fill(user.displayName);
  await page.getByLabel('Auto-generate password').uncheck();
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Authentication method (mock only)').selectOption(user.authMethod);
  await page.getByRole('button', { name: 'Review + create' }).click();
  const reviewed = (await page.locator('#review [data-field="upn"]').textContent())?.trim() ?? '';
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.locator('[data-notice="created"]').waitFor();
  const created = (await page.locator('[data-notice="created"] [data-field="upn"]').textContent())?.trim() ?? '';
  return { reviewed, created };
}

/** Enterprise applications › New application › search "Mimecast" › the gallery entry › Create. Returns the app id. */
export async function addMimecastFromGallery(page: Page, env: TutorialEnv): Promise<string> {
  await openEntraTenant(page, env);
  await page.getByRole('link', { name: 'New application' }).click();
  await page.getByLabel('Search application').fill('Mimecast');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#gallery-results').getByRole('link', { name: 'Mimecast' }).click();
  assert.equal(await page.getByLabel('Name').inputValue(), 'Mimecast');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
  return /\/apps\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
}

/** Enterprise applications › the app's row. */
export async function openEntraApp(page: Page, env: TutorialEnv, appId: string): Promise<void> {
  await openEntraTenant(page, env);
  await page.locator(`#apps tr[data-app-id="${appId}"]`).getByRole('link').click();
  await page.waitForURL(`${env.idpUrl}/admin/${env.tenantId}/apps/${appId}`);
}

/** The app › Single sign-on › (SAML, while no method is chosen yet) › "Set up Single Sign-On with SAML". */
export async function openSamlSetup(page: Page, env: TutorialEnv, appId: string): Promise<void> {
  await openEntraApp(page, env, appId);
  await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Single sign-on' }).click();
  // Once Basic SAML Configuration is saved Entra opens the SAML page directly; before, the method picker.
  if (!page.url().endsWith('/sso/saml')) await page.locator('#sso-saml').click();
  await page.waitForURL(/\/sso\/saml$/);
}

/**
 * Basic SAML Configuration › Edit: types the given values (undefined leaves a field as it is, ''
 * empties it), Save. Returns the saved values as the SAML page lists them.
 */
export async function editBasicSamlConfiguration(
  page: Page,
  env: TutorialEnv,
  appId: string,
  values: Partial<MimecastSetupValues>,
): Promise<Record<'identifiers' | 'replyUrls' | 'signOnUrl' | 'logoutUrl', string>> {
  await openSamlSetup(page, env, appId);
  await page.getByRole('link', { name: 'Edit Basic SAML Configuration' }).click();
  if (values.identifier !== undefined) await page.getByLabel('Identifier (Entity ID) 1', { exact: true }).fill(values.identifier);
  if (values.replyUrl !== undefined) await page.getByLabel('Reply URL 1', { exact: true }).fill(values.replyUrl);
  if (values.signOnUrl !== undefined) await page.getByLabel('Sign on URL (Optional)').fill(values.signOnUrl);
  if (values.logoutUrl !== undefined) await page.getByLabel('Logout Url (Optional)').fill(values.logoutUrl);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-notice="basic"]').waitFor();
  const read = async (field: string) => (await page.locator(`#basic-saml [data-field="${field}"]`).textContent())?.trim() ?? '';
  return {
    identifiers: await read('identifiers'),
    replyUrls: await read('replyUrls'),
    signOnUrl: await read('signOnUrl'),
    logoutUrl: await read('logoutUrl'),
  };
}

/**
 * SAML Certificates: "Copy App Federation Metadata Url", read back from the clipboard; also the
 * values of "Set up Mimecast" and the token signing certificate's thumbprint, for cross-checks.
 */
export async function copyAppFederationMetadataUrl(page: Page, env: TutorialEnv, appId: string): Promise<EntraSamlValues> {
  await openSamlSetup(page, env, appId);
  const metadataUrl = await page.getByRole('textbox', { name: 'App Federation Metadata Url' }).inputValue();
  await page.getByRole('button', { name: 'Copy App Federation Metadata Url' }).click();
  await page.locator('[data-copy-status="appFederationMetadataUrl"]', { hasText: 'Copied' }).waitFor();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  return {
    metadataUrl,
    clipboard,
    loginUrl: await page.getByRole('textbox', { name: 'Login URL' }).inputValue(),
    entraIdentifier: await page.getByRole('textbox', { name: 'Microsoft Entra Identifier' }).inputValue(),
    thumbprint: (await page.locator('#certificates [data-field="thumbprint"]').textContent())?.trim() ?? '',
  };
}

/** Users and groups › Add user/group › Add Assignment › None Selected › tick the user › Select › Assign. */
export async function assignUserInEntra(page: Page, env: TutorialEnv, appId: string, upn: string): Promise<void> {
  await openEntraApp(page, env, appId);
  await page.getByRole('navigation', { name: 'Mimecast' }).getByRole('link', { name: 'Users and groups' }).click();
  await page.getByRole('link', { name: 'Add user/group' }).click();
  await page.getByRole('link', { name: 'None Selected' }).click();
  await page.locator(`#user-choices input[name="upn"][value="${upn}"]`).check();
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await page.getByRole('link', { name: '1 user selected.' }).waitFor();
  await page.getByRole('button', { name: 'Assign' }).click();
  await page.locator('[data-notice="assigned"]').waitFor();
  await page.locator(`#assignments tr[data-upn="${upn}"]`).waitFor();
}

/**
 * Entra's "Sign in" (loginfmt, Next), "Enter password" (passwd, Sign in), for a multi-factor user
 * "Approve sign in request" (approved on the phone), then "Stay signed in?" (No).
 */
export async function enterEntraCredentials(page: Page, user: Pick<TutorialUser, 'upn' | 'password'>): Promise<void> {
  await page.locator('input[name="loginfmt"]').fill(user.upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('input[name="passwd"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const next = page.getByRole('heading', { name: /^(Approve sign in request|Stay signed in\?)$/ });
  if ((await next.textContent()) === 'Approve sign in request') {
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
  }
  await page.getByRole('heading', { name: 'Stay signed in?' }).waitFor();
  await page.getByRole('button', { name: 'No', exact: true }).click();
}

/**
 * Entra's "Sign in" (loginfmt), then the mock's "Sign in with Windows Hello (device)" stand-in
 * instead of a password, then "Stay signed in?" (No) when Entra asks it before its error page.
 */
export async function signInWithWindowsHello(page: Page, upn: string): Promise<void> {
  await page.locator('input[name="loginfmt"]').fill(upn);
  await page.getByRole('button', { name: 'Sign in with Windows Hello (device)' }).click();
  const kmsi = page.getByRole('heading', { name: 'Stay signed in?' });
  await kmsi.or(page.locator('p.error-line')).first().waitFor();
  if (await kmsi.isVisible()) await page.getByRole('button', { name: 'No', exact: true }).click();
}

// ---------------------------------------------------------------------------------------------
// Mimecast Administration Console and sign-in

/** Administration Console: the account picker's link for the account (the row holds one of each). */
export async function openMimecastSection(
  page: Page,
  env: TutorialEnv,
  link: 'Set up in Entra' | 'Authentication Profiles' | 'Internal Directories' | 'SSO log',
): Promise<void> {
  await page.goto(`${env.spUrl}/`);
  await page.getByRole('link', { name: link, exact: true }).first().click();
}

/** "Set up in Entra": the values Basic SAML Configuration needs, read from the page's fields. */
export async function readMimecastSetupValues(page: Page, env: TutorialEnv): Promise<MimecastSetupValues> {
  await openMimecastSection(page, env, 'Set up in Entra');
  await page.waitForURL(`${env.spUrl}/accounts/${ACCOUNT.code}`);
  const read = async (id: string) => (await page.locator(`code#${id}`).textContent())?.trim() ?? '';
  return {
    identifier: await read('identifier'),
    replyUrl: await read('reply-local'),
    signOnUrl: await read('sign-on-local'),
    logoutUrl: await read('logout-local'),
  };
}

/**
 * Authentication Profiles › the profile form. An account made through POST /api/accounts already
 * has a default profile, so the list offers "Edit Authentication Profile"; an account without one
 * offers "New Authentication Profile". Either leads to the same form.
 */
export async function openAuthenticationProfile(page: Page, env: TutorialEnv): Promise<void> {
  await openMimecastSection(page, env, 'Authentication Profiles');
  await page.getByRole('link', { name: /^(New|Edit) Authentication Profile$/ }).click();
  await page.waitForURL(`${env.spUrl}/accounts/${ACCOUNT.code}/authentication-profiles/profile`);
}

export const PROFILE_DESCRIPTION = 'Entra ID SSO (tutorial)';

/**
 * The profile form up to Import: Description, the three Enforce switches, Provider, the Metadata
 * URL pasted from the clipboard (Ctrl+V), Import. Leaves the filled (unsaved) form open.
 */
export async function importMetadataIntoProfile(
  page: Page,
  env: TutorialEnv,
  input: { description: string; metadataUrl: string },
): Promise<{ pasted: string }> {
  await openAuthenticationProfile(page, env);
  await page.getByLabel('Description').fill(input.description);
  await page.getByLabel('Enforce SAML Authentication for Administration Console').check();
  await page.getByLabel('Enforce SAML Authentication for Mimecast Personal Portal').check();
  await page.getByLabel('Enforce SAML Authentication for End User Applications').check();
  await page.getByLabel('Provider', { exact: true }).selectOption('entra');
  const field = page.getByLabel('Metadata URL', { exact: true });
  await field.fill('');
  await field.focus();
  await page.keyboard.press('ControlOrMeta+V');
  const pasted = await field.inputValue();
  assert.equal(pasted, input.metadataUrl, 'the Metadata URL pasted from the clipboard');
  await page.getByRole('button', { name: 'Import' }).click();
  await page.waitForURL(/\/profile\/import$/);
  await page.locator('#import-status').waitFor();
  return { pasted };
}

/** After Import: both contexts unticked, Allow Single Sign On ticked, Save and Exit. */
export async function saveProfileAfterImport(page: Page): Promise<void> {
  await page.getByLabel('Use Password protected Context').uncheck();
  await page.getByLabel('Use Integrated Authentication Context').uncheck();
  await page.getByLabel('Allow Single Sign On').check();
  await page.getByRole('button', { name: 'Save and Exit' }).click();
  await page.waitForURL(/\/authentication-profiles\?saved=1$/);
}

/** The profile form's contexts, ticked or not, then Save and Exit. */
export async function saveProfileContexts(
  page: Page,
  env: TutorialEnv,
  contexts: { passwordProtected: boolean; integrated: boolean },
): Promise<void> {
  await openAuthenticationProfile(page, env);
  await page.getByLabel('Use Password protected Context').setChecked(contexts.passwordProtected);
  await page.getByLabel('Use Integrated Authentication Context').setChecked(contexts.integrated);
  await page.getByRole('button', { name: 'Save and Exit' }).click();
  await page.waitForURL(/\/authentication-profiles\?saved=1$/);
}

/** Internal Directories › the domain › New Address: Email Address, Global Name, Password, Confirm Password › Save. */
export async function addMimecastAddress(page: Page, env: TutorialEnv, user: TutorialUser): Promise<string> {
  await openMimecastSection(page, env, 'Internal Directories');
  await page.getByRole('link', { name: ACCOUNT.domain, exact: true }).click();
  await page.getByRole('link', { name: 'New Address' }).click();
  await page.getByLabel('Email Address').fill(user.upn);
  await page.getByLabel('Global Name').fill(user.displayName);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm Password').fill(user.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/internal-directories\/contoso\.com\?added=/);
  return (await page.locator('table.addresses tr.just-added td').first().textContent())?.trim() ?? '';
}

/** "Login to Mimecast": Email Address › Next; the browser is then at Entra (sign-in or error page). */
export async function startMimecastLogin(page: Page, env: TutorialEnv, email: string): Promise<void> {
  await page.goto(`${env.spUrl}/login/saml`);
  await page.getByLabel('Email Address').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForURL((url) => url.href.startsWith(env.idpUrl));
}

/** The landing page's facts (Email Address, Flow, Account …) by their labels. */
export async function readLandingFacts(page: Page): Promise<Record<string, string>> {
  const facts: Record<string, string> = {};
  const terms = page.locator('dl.facts dt');
  for (let i = 0; i < (await terms.count()); i++) {
    const term = (await terms.nth(i).textContent())?.trim() ?? '';
    facts[term] = (await page.locator('dl.facts dt + dd').nth(i).textContent())?.trim() ?? '';
  }
  return facts;
}

/** One row of a trace report's checks table, by check id. */
export interface CheckRow {
  status: string;
  code: string | null;
  expected: string;
  received: string;
  hint: string;
}

/** Reads the row of check `id` on a trace report (/traces/:id). */
export async function readCheckRow(page: Page, id: string): Promise<CheckRow> {
  const cells = page.locator(`table.checks tr[data-check="${id}"] td`);
  const text = async (i: number) => (await cells.nth(i).textContent())?.trim() ?? '';
  // The check cell ends with <code>id</code> · <code>code</code>; a passing check has no code.
  const codes = await cells.nth(1).locator('div.muted code').allTextContents();
  return { status: await text(0), code: codes[1]?.trim() ?? null, expected: await text(2), received: await text(3), hint: await text(4) };
}

/** Every check's status on a trace report, by check id. */
export async function readCheckStatuses(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('table.checks tbody tr');
  const statuses: Record<string, string> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const id = (await rows.nth(i).getAttribute('data-check')) ?? '';
    statuses[id] = (await rows.nth(i).locator('td').first().textContent())?.trim() ?? '';
  }
  return statuses;
}

// ---------------------------------------------------------------------------------------------
// The whole set-up, for tests that start where the tutorial ends

/**
 * Steps 1–7 of the tutorial in one go: B.Simon in Entra, the Mimecast gallery app with Basic SAML
 * Configuration from the Mimecast page, the metadata imported into the profile (contexts unticked,
 * Allow Single Sign On ticked), B.Simon's address, and the assignment.
 */
export async function configureTutorial(
  page: Page,
  env: TutorialEnv,
): Promise<{ appId: string; setup: MimecastSetupValues; entra: EntraSamlValues }> {
  await allowClipboard(page.context(), env);
  await createEntraUser(page, env, B_SIMON);
  const appId = await addMimecastFromGallery(page, env);
  const setup = await readMimecastSetupValues(page, env);
  await editBasicSamlConfiguration(page, env, appId, setup);
  const entra = await copyAppFederationMetadataUrl(page, env, appId);
  await importMetadataIntoProfile(page, env, { description: PROFILE_DESCRIPTION, metadataUrl: entra.metadataUrl });
  await saveProfileAfterImport(page);
  await addMimecastAddress(page, env, B_SIMON);
  await assignUserInEntra(page, env, appId, B_SIMON.upn);
  return { appId, setup, entra };
}
