import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair, readSpKeys } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

/** Entra's "Token encryption" set on the mock Entra app through its API, then a real sign-in. */
describe('token encryption in the mock Entra', () => {
  let h: Harness;
  let appApi: string;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };

  before(async () => {
    h = await startTestHarness();
    assert.ok(h.walkthrough.idp);
    appApi = `${h.idpUrl}/api/tenants/${h.walkthrough.idp.tenantId}/apps/${h.walkthrough.idp.appId}`;
  });

  async function setAcceptEncrypted(accept: boolean): Promise<void> {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(profile);
    await h.sp.stores.profiles.put({ ...profile, acceptEncryptedAssertions: accept });
  }

  test('by default Mimecast refuses an encrypted assertion: SP_ENCRYPTION_NOT_ENABLED, node-saml not run', async () => {
    assert.equal((await patchApp({ tokenEncryptionCertificate: readSpKeys().encryptionCert })).status, 200);
    const result = await signInSpInitiated(h, creds);
    assert.equal(result.ok, false);
    const encryption = result.trace?.checks.find((c) => c.id === 'encryption');
    assert.equal(encryption?.status, 'fail');
    assert.equal(encryption?.code, 'SP_ENCRYPTION_NOT_ENABLED');
    assert.equal(result.trace?.summary.firstFailure, 'SP_ENCRYPTION_NOT_ENABLED');
    assert.equal(result.trace?.checks.find((c) => c.id === 'node-saml')?.status, 'skip');
    await setAcceptEncrypted(true);
  });
  after(() => h.close());

  async function patchApp(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(appApi, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  test("with the SP's encryption certificate the assertion arrives encrypted and sign-in succeeds", async () => {
    const patched = await patchApp({ tokenEncryptionCertificate: readSpKeys().encryptionCert });
    assert.equal(patched.status, 200);
    assert.deepEqual((patched.body.tokenEncryption as { active: boolean }).active, true);
    const result = await signInSpInitiated(h, creds);
    assert.equal(result.ok, true, `ended at ${result.page.url}`);
    assert.equal(result.trace?.summary.encrypted, true);
    assert.equal(result.trace?.checks.find((c) => c.id === 'encryption')?.status, 'pass');
    assert.match(result.trace?.raw ? Buffer.from(result.trace.raw, 'base64').toString('utf8') : '', /EncryptedAssertion/);
  });

  test('with another certificate the SP cannot decrypt: SP_DECRYPTION_FAILED', async () => {
    assert.equal((await patchApp({ tokenEncryptionCertificate: readKeyPair('idp-signing-2').cert })).status, 200);
    const result = await signInSpInitiated(h, creds);
    assert.equal(result.ok, false);
    assert.equal(result.trace?.summary.firstFailure, 'SP_DECRYPTION_FAILED');
  });

  test('turning token encryption off again, and refusing text that is not a certificate', async () => {
    const bad = await patchApp({ tokenEncryptionCertificate: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'CERTIFICATE_INVALID');
    assert.equal((await patchApp({ tokenEncryptionCertificate: null })).status, 200);
    const result = await signInSpInitiated(h, creds);
    assert.equal(result.ok, true);
    assert.equal(result.trace?.summary.encrypted, undefined);
  });
});
