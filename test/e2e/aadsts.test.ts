import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assignUserToApp, createUser, unassignUserFromApp, updateAppSettings } from '../../src/core/idp/admin.js';
import type { AppSettingsPatch } from '../../src/core/idp/apps.js';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

const MFA_USER = { upn: 'mfa.user@contoso.com', password: 'Test-only-Mfa-Passw0rd!' };

/** The AADSTS errors of the Entra tutorial, each reached through the real SP ↔ mock Entra flow. */
describe('AADSTS errors through the real flow', () => {
  let h: Harness;
  let tenantId: string;
  let appId: string;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  before(async () => {
    h = await startTestHarness();
    assert.ok(h.walkthrough.idp);
    ({ tenantId, appId } = h.walkthrough.idp);
  });
  after(() => h.close());

  /** Applies an app setting for the length of `fn`, then puts the app back. */
  async function withAppSettings(patch: AppSettingsPatch, fn: () => Promise<void>): Promise<void> {
    assert.ok(h.idp);
    const original = await h.idp.ctx.stores.apps.get(appId);
    assert.ok(original);
    await updateAppSettings(h.idp.ctx, tenantId, appId, patch);
    try {
      await fn();
    } finally {
      await h.idp.ctx.stores.apps.update(original);
    }
  }

  test("AADSTS50011: the SP's ACS is not one of the app's Reply URLs", async () => {
    await withAppSettings({ replyUrls: ['https://eu-api.mimecast.com/login/saml'] }, async () => {
      const result = await signInSpInitiated(h, creds);
      assert.equal(result.ok, false);
      assert.equal(result.aadsts, 'AADSTS50011');
      assert.equal(result.page.headers.get('x-idp-error'), 'IDP_AADSTS50011');
    });
  });

  test("AADSTS700016: the request's Issuer is not the app's Identifier", async () => {
    await withAppSettings({ identifiers: ['https://eu-api.mimecast.com/sso/CUK99Z99'] }, async () => {
      const result = await signInSpInitiated(h, creds);
      assert.equal(result.ok, false);
      assert.equal(result.aadsts, 'AADSTS700016');
    });
  });

  test('AADSTS50105: B.Simon is not assigned to the app', async () => {
    assert.ok(h.idp);
    await unassignUserFromApp(h.idp.ctx, tenantId, appId, IDP_SEED.userPrincipalName);
    try {
      const result = await signInSpInitiated(h, creds);
      assert.equal(result.ok, false);
      assert.equal(result.aadsts, 'AADSTS50105');
      assert.equal(result.trace, null, 'the user is stopped at Entra');
    } finally {
      await assignUserToApp(h.idp.ctx, tenantId, appId, IDP_SEED.userPrincipalName);
    }
  });

  test('AADSTS7000112: the app is not enabled for users to sign in', async () => {
    assert.ok(h.idp);
    await updateAppSettings(h.idp.ctx, tenantId, appId, { enabledForSignIn: false });
    try {
      const result = await signInSpInitiated(h, creds);
      assert.equal(result.ok, false);
      assert.equal(result.aadsts, 'AADSTS7000112');
      assert.equal(result.trace, null, 'the user is stopped at Entra');
    } finally {
      await updateAppSettings(h.idp.ctx, tenantId, appId, { enabledForSignIn: true });
    }
    assert.equal((await signInSpInitiated(h, creds)).ok, true);
  });

  test("AADSTS75011: 'Use Password protected Context' and a Windows Hello session → Entra's error page; password plus push signs in", async () => {
    assert.ok(h.idp);
    await createUser(h.idp.ctx, tenantId, {
      userPrincipalName: MFA_USER.upn,
      password: MFA_USER.password,
      displayName: 'MFA User',
      authMethod: 'multi-factor',
    });
    await assignUserToApp(h.idp.ctx, tenantId, appId, MFA_USER.upn);
    await h.sp.stores.directory.create(
      {
        accountCode: SEED.accountCode,
        email: MFA_USER.upn,
        globalName: 'MFA User',
        forceChangeAtLogin: false,
        roles: [],
        createdAt: new Date().toISOString(),
      },
      null,
    );
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(profile);
    await h.sp.stores.profiles.put({ ...profile, usePasswordProtectedContext: true });
    try {
      const pushed = await signInSpInitiated(h, { email: MFA_USER.upn, password: MFA_USER.password });
      assert.equal(pushed.ok, true, 'a password sign-in with an approved push is still a password sign-in');
      const result = await signInSpInitiated(h, { ...creds, method: 'windows-hello' });
      assert.equal(result.ok, false);
      assert.equal(result.aadsts, 'AADSTS75011');
      assert.equal(result.trace, null, 'no response was posted to the SP');
      assert.match(result.page.text, /Troubleshooting details/);
      const password = await signInSpInitiated(h, creds);
      assert.equal(password.ok, true, 'a password user still satisfies PasswordProtectedTransport');
    } finally {
      await h.sp.stores.profiles.put(profile);
    }
  });

  test('AADSTS50126: a wrong password stops at the password page with its code in the sign-in result', async () => {
    const result = await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: 'not-the-password' });
    assert.equal(result.ok, false);
    assert.equal(result.aadsts, 'AADSTS50126');
    assert.equal(result.trace, null, 'no response reached the SP');
    assert.equal(result.page.status, 200);
  });

  test('AADSTS750054: /<tenant>/saml2 without a SAMLRequest', async () => {
    const page = await new TestBrowser().get(`${h.idpUrl}/${tenantId}/saml2`);
    assert.equal(page.status, 400);
    assert.equal(page.text.match(/AADSTS\d+/)?.[0], 'AADSTS750054');
  });

  test('AADSTS7500529: a hand-built AuthnRequest whose ID starts with a digit, over HTTP-Redirect', async () => {
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, h.spUrl);
    const xml =
      `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="1f0e6a1c-digit-first" Version="2.0" ` +
      `IssueInstant="${new Date().toISOString()}" Destination="${h.idpUrl}/${tenantId}/saml2" AssertionConsumerServiceURL="${urls.localAcsUrl}">` +
      `<saml:Issuer>${urls.entraIdentifier}</saml:Issuer></samlp:AuthnRequest>`;
    const page = await new TestBrowser().get(`${h.idpUrl}/${tenantId}/saml2?SAMLRequest=${encodeURIComponent(encodeRedirectBinding(xml))}`);
    assert.equal(page.status, 400);
    assert.equal(page.text.match(/AADSTS\d+/)?.[0], 'AADSTS7500529');
  });
});
