import type { SignedInSession } from '../core/sp/context.js';
import type { Trace } from '../core/sp/traces.js';
import { type Page, readForms, TestBrowser } from './browser.js';

export interface SignInTarget {
  spUrl: string;
  idpUrl: string | null;
  /** Sent as Authorization: Bearer for /api/traces; needed whenever the SP has an admin token. */
  adminToken?: string | null;
}

export interface Credentials {
  email: string;
  password: string;
  /**
   * For a user with a temporary password: the new password to give on "Update your password".
   * Without it the walk stops on that page (the result is not ok).
   */
  newPassword?: string;
  /** Reuse a browser to keep its IdP session (single sign-on) or its SP session. */
  browser?: TestBrowser;
  /** What a multi-factor user does in the Authenticator app; approve unless told otherwise. */
  secondFactor?: 'approve' | 'deny';
  /**
   * How the session authenticates: the password (the default; a multi-factor user then approves the
   * push, still a password sign-in), or one of the "Sign in" page's passwordless stand-ins, which decide AADSTS75011.
   */
  method?: 'password' | 'windows-hello' | 'security-key' | 'guest-otp';
}

export interface SignInResult {
  /** True when the SP created a session. */
  ok: boolean;
  /** The last page: the landing page, Mimecast's failure page, or Entra's error page. */
  page: Page;
  /** The SP session (GET /api/session), or null. */
  session: SignedInSession | null;
  /** The SP's report of the response it received, or null when no response reached the SP. */
  trace: Trace | null;
  /**
   * The AADSTS code when the mock Entra stopped the sign-in: on its error page, or on a credentials
   * page shown again with an error (a wrong password is `AADSTS50126`).
   */
  aadsts: string | null;
  browser: TestBrowser;
}

/** SP-initiated: "Login to Mimecast" with the email, then Entra's pages, then back to the ACS. */
export async function signInSpInitiated(target: SignInTarget, credentials: Credentials): Promise<SignInResult> {
  const browser = credentials.browser ?? new TestBrowser();
  const first = await browser.get(`${target.spUrl}/login/saml?email=${encodeURIComponent(credentials.email)}`);
  return finish(target, browser, await walkToSp(browser, first, credentials));
}

/**
 * IdP-initiated: the mock Entra signs in to the app and posts to its default Reply URL, then back to
 * the ACS. It uses the app's always IdP-initiated URL, so an app with a Sign on URL (whose "Test this
 * application" is SP-initiated) is signed in IdP-initiated too.
 */
export async function signInIdpInitiated(target: SignInTarget, appId: string, credentials: Credentials): Promise<SignInResult> {
  if (!target.idpUrl) throw new Error('IdP-initiated sign-in needs the mock Entra (idpUrl).');
  const browser = credentials.browser ?? new TestBrowser();
  const first = await browser.get(`${target.idpUrl}/apps/${encodeURIComponent(appId)}/idp-initiated`);
  return finish(target, browser, await walkToSp(browser, first, credentials));
}

/**
 * Submits forms the way a person (and the pages' scripts) would, until no known form is left: the
 * email, the password, "Update your password" when a new one is given, the Authenticator prompt of
 * a multi-factor user, "No" to "Stay signed in?", and the auto-posted SAML forms.
 */
export async function walkToSp(browser: TestBrowser, start: Page, credentials: Credentials): Promise<Page> {
  let page = start;
  let updateSent = false;
  for (let step = 0; step < 12; step++) {
    // A credentials page shown again with an AADSTS error: typing the same thing again cannot help.
    if (readAadstsMarker(page.text) !== null) return page;
    const forms = readForms(page);
    const autoPost = forms.find((f) => f.name === 'hiddenform' || f.id === 'saml-post');
    if (autoPost) {
      page = await browser.submit(page, { form: (autoPost.name === 'hiddenform' ? autoPost.name : autoPost.id) as string });
    } else if (forms.some((f) => f.id === 'update-password-form')) {
      // Given once: the page again means the new password was refused, and typing it again cannot help.
      if (credentials.newPassword === undefined || updateSent) return page;
      updateSent = true;
      const fields = {
        currentPassword: credentials.password,
        newPassword: credentials.newPassword,
        confirmNewPassword: credentials.newPassword,
      };
      page = await browser.submit(page, { form: 'update-password-form', fields });
    } else if (forms.some((f) => f.id === 'mfa-form')) {
      page = await browser.submit(page, { form: 'mfa-form', fields: { action: credentials.secondFactor ?? 'approve' } });
    } else if (forms.some((f) => f.id === 'kmsi-form')) {
      // "Stay signed in?": No, as a person on a shared test machine would answer.
      page = await browser.submit(page, { form: 'kmsi-form', fields: { LoginOptions: '3' } });
    } else if (forms.some((f) => 'passwd' in f.fields)) {
      page = await browser.submit(page, { fields: { passwd: credentials.password } });
    } else if (forms.some((f) => 'loginfmt' in f.fields)) {
      const method = credentials.method ?? 'password';
      page = await browser.submit(page, { fields: { loginfmt: credentials.email, ...(method === 'password' ? {} : { method }) } });
    } else {
      return page;
    }
  }
  return page;
}

async function finish(target: SignInTarget, browser: TestBrowser, page: Page): Promise<SignInResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const cookie = [...browser.cookies(target.spUrl)].map(([k, v]) => `${k}=${v}`).join('; ');
  if (cookie) headers.cookie = cookie;
  const sessionResponse = await fetch(`${target.spUrl}/api/session`, { headers });
  const session = sessionResponse.ok ? ((await sessionResponse.json()) as SignedInSession) : null;
  if (!sessionResponse.ok) await sessionResponse.arrayBuffer();
  const traceId = session?.traceId ?? page.text.match(/\/traces\/([0-9a-f-]{36})/)?.[1] ?? null;
  let trace: Trace | null = null;
  if (traceId && page.url.startsWith(target.spUrl)) {
    if (target.adminToken) headers.authorization = `Bearer ${target.adminToken}`;
    const traceResponse = await fetch(`${target.spUrl}/api/traces/${traceId}`, { headers });
    trace = traceResponse.ok ? ((await traceResponse.json()) as Trace) : null;
  }
  const onIdp = target.idpUrl !== null && page.url.startsWith(target.idpUrl);
  const marker = readAadstsMarker(page.text);
  const aadsts = onIdp ? (marker === null ? (page.text.match(/AADSTS\d+/)?.[0] ?? null) : `AADSTS${marker}`) : null;
  return { ok: session !== null, page, session, trace, aadsts, browser };
}

const AADSTS_MARKER = 'data-aadsts="';

/** The number in the first `data-aadsts="…"` attribute of a mock Entra page, or null. */
function readAadstsMarker(html: string): string | null {
  const start = html.indexOf(AADSTS_MARKER);
  if (start < 0) return null;
  const from = start + AADSTS_MARKER.length;
  const end = html.indexOf('"', from);
  const value = end < 0 ? '' : html.slice(from, end);
  return value.length > 0 && [...value].every((c) => c >= '0' && c <= '9') ? value : null;
}
