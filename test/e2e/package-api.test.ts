import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildEntraResponse,
  type Harness,
  IDP_SEED,
  readKeyPair,
  SEED,
  signInSpInitiated,
  startTestHarness,
  TestBrowser,
} from '../../src/index.js';

/**
 * What the README's "Your own tests" example does, through the package's public exports only (here from
 * the sources; test/e2e/package-types.test.ts type-checks and runs a similar sample against the packed
 * package, as a consumer installs it).
 */
describe('the package API for teams writing their own SSO tests', () => {
  let h: Harness;
  before(async () => {
    h = await startTestHarness();
  });
  after(() => h.close());

  test('sign in SP-initiated and read the session and the report', async () => {
    const result = await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password });
    assert.equal(result.ok, true);
    assert.equal(result.session?.accountCode, SEED.accountCode);
    assert.ok(result.trace?.checks.every((c) => c.status !== 'fail'));
  });

  test('post a hand-built Entra-shaped response with overrides and read why it fails', async () => {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    const tenantId = h.walkthrough.idp?.tenantId ?? '';
    const idp = readKeyPair('idp-signing-1');
    const now = new Date();
    const response = buildEntraResponse({
      tenantId,
      destination: `${h.spUrl}/login/saml`,
      audience: 'https://eu-api.mimecast.com/sso/CWRONG1',
      user: { userPrincipalName: SEED.userEmail, objectId: '00000000-0000-4000-8000-000000000001', displayName: 'B. Simon' },
      issueInstant: now,
      ids: { responseId: `_${crypto.randomUUID()}`, assertionId: `_${crypto.randomUUID()}` },
      signing: { key: idp.key, cert: idp.cert, option: 'assertion', algorithm: 'sha256' },
    });
    assert.ok(profile?.idpCertificates.length);
    const browser = new TestBrowser();
    const page = await browser.request('POST', `${h.spUrl}/login/saml`, new URLSearchParams({ SAMLResponse: response.base64 }));
    assert.equal(page.status, 403);
    const traces = (await (await fetch(`${h.spUrl}/api/traces?limit=1`)).json()) as {
      traces: { checks: { id: string; code?: string }[] }[];
    };
    assert.equal(traces.traces[0]?.checks.find((c) => c.id === 'audience')?.code, 'SP_AUDIENCE_MISMATCH');
  });
});
