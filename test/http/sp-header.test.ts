/** The Mimecast header: "Login" until someone signs in, then their address and "Log out" (single logout). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { buildSignedTestResponse } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);

/** The header's navigation, as served. */
function readHeader(html: string): string {
  return /<header class="topbar">[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
}

describe('the Mimecast header', () => {
  let sp: TestSp;
  beforeEach(async () => {
    sp = createTestSp();
    await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'B.Simon@contoso.com' }] });
  });
  afterEach(() => sp.close());

  it('says Login before sign-in, then the address and Log out, then Login again after Log out', async () => {
    const agent = request.agent(sp.app);
    const before = readHeader((await agent.get('/login/saml')).text);
    assert.ok(before.includes('href="/login/saml">Login</a>'));
    assert.equal(before.includes('data-signed-in'), false);

    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'B.Simon@contoso.com',
    });
    assert.equal((await agent.post('/login/saml').type('form').send({ SAMLResponse: built.base64 })).status, 303);
    for (const path of ['/portal', '/traces', '/login/saml']) {
      const header = readHeader((await agent.get(path)).text);
      assert.match(header, /<strong data-signed-in>B\.Simon@contoso\.com<\/strong>/, path);
      assert.ok(header.includes('href="/logout/saml">Log out</a>'), path);
      assert.equal(header.includes('>Login</a>'), false, path);
    }

    // The profile has a Logout URL: Log out ends the session here and sends the browser to Entra.
    const out = await agent.get('/logout/saml');
    assert.equal(out.status, 302);
    assert.ok(out.headers.location?.startsWith(ENTRA_PROFILE.logoutUrl as string));
    const after = readHeader((await agent.get('/login/saml')).text);
    assert.ok(after.includes('href="/login/saml">Login</a>'));
    assert.equal(after.includes('data-signed-in'), false);
  });

  it('a profile without a Logout URL: the signed-out page drawn by Log out already shows Login', async () => {
    const profile = await sp.stores.profiles.get('CUK12A34');
    assert.ok(profile);
    await sp.stores.profiles.put({ ...profile, logoutUrl: null });
    const agent = request.agent(sp.app);
    const built = buildSignedTestResponse({
      now: sp.clock.now(),
      acsUrl: URLS.localAcsUrl,
      audience: URLS.entraIdentifier,
      email: 'B.Simon@contoso.com',
    });
    assert.equal((await agent.post('/login/saml').type('form').send({ SAMLResponse: built.base64 })).status, 303);
    const out = await agent.get('/logout/saml');
    assert.equal(out.status, 200);
    assert.match(out.text, /data-outcome="local-only"/);
    assert.equal(readHeader(out.text).includes('data-signed-in'), false);
    assert.ok(readHeader(out.text).includes('href="/login/saml">Login</a>'));
  });
});
