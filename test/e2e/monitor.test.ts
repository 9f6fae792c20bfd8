import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCertificateOfApp, addCertificateToApp } from '../../src/core/idp/admin.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import type { MetadataEvent } from '../../src/core/sp/metadata-diff.js';
import { runMetadataCheck } from '../../src/core/sp/metadata-monitor.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

/**
 * Monitor Metadata URL over real HTTP: the mock Entra rolls its signing certificate over, the SP's
 * next check picks the rollover up from the App Federation Metadata Url, and sign-in keeps working.
 */
describe('Monitor Metadata URL follows an Entra certificate rollover', { timeout: 30_000 }, () => {
  let h: Harness;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };
  const second = readKeyPair('idp-signing-2');
  const secondThumbprint = describeCertificate(second.cert).thumbprint;

  before(async () => {
    h = await startTestHarness();
  });
  after(() => h.close());

  async function readEvents(): Promise<{
    status: number;
    body: { accountCode: string; monitorMetadataUrl: boolean; events: MetadataEvent[] };
  }> {
    const response = await fetch(`${h.spUrl}/api/accounts/${SEED.accountCode}/metadata-events`, {
      headers: { accept: 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  test('turning monitoring on through the API, with nothing changed, records nothing', async () => {
    const put = await fetch(`${h.spUrl}/api/accounts/${SEED.accountCode}/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ monitorMetadataUrl: true }),
    });
    assert.equal(put.status, 200);
    const results = await h.monitor.runNow();
    assert.deepEqual(
      results.map((r) => [r.accountCode, r.outcome]),
      [[SEED.accountCode, 'unchanged']],
    );
    const { status, body } = await readEvents();
    assert.equal(status, 200);
    assert.equal(body.monitorMetadataUrl, true);
    assert.deepEqual(body.events, []);
  });

  test('after the rollover, sign-in fails until the check runs, then the profile trusts the new certificate', async () => {
    const idp = h.idp;
    const seeded = h.walkthrough.idp;
    assert.ok(idp && seeded);
    const { certificate } = await addCertificateToApp(idp.ctx, seeded.tenantId, seeded.appId, { pem: second.cert, keyPem: second.key });
    await activateCertificateOfApp(idp.ctx, seeded.tenantId, seeded.appId, certificate.id);

    const stale = await signInSpInitiated(h, creds);
    assert.equal(stale.ok, false);
    assert.equal(stale.trace?.summary.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');

    const result = await runMetadataCheck(h.sp.ctx, SEED.accountCode);
    assert.equal(result.outcome, 'changed');
    assert.deepEqual(
      result.events.map((e) => [e.kind, e.thumbprint]),
      [
        ['certificate-added', secondThumbprint],
        ['certificate-activated', secondThumbprint],
      ],
    );

    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.equal(profile && describeCertificate(profile.idpCertificates[0] ?? '').thumbprint, secondThumbprint);
    assert.equal(profile?.idpCertificates.length, 2, 'the old certificate stays trusted while Entra still lists it');

    const { body } = await readEvents();
    assert.deepEqual(body.events.map((e) => e.kind).sort(), ['certificate-activated', 'certificate-added']);
    assert.ok(body.events.every((e) => e.accountCode === SEED.accountCode && e.thumbprint === secondThumbprint));

    const fresh = await signInSpInitiated(h, creds);
    assert.equal(fresh.ok, true, `ended at ${fresh.page.url}`);
    assert.equal(fresh.trace?.checks.find((c) => c.id === 'signature')?.status, 'pass');
  });

  test('an unreachable Metadata URL records fetch-failed and keeps the profile', async () => {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.ok(profile?.metadataUrl);
    const broken = profile.metadataUrl.replace(/appid=[^&]+/, 'appid=00000000-0000-4000-8000-000000000000');
    await h.sp.stores.profiles.put({ ...profile, metadataUrl: broken });
    try {
      const result = await runMetadataCheck(h.sp.ctx, SEED.accountCode);
      assert.equal(result.outcome, 'failed');
      assert.equal(result.events[0]?.kind, 'fetch-failed');
      assert.match(result.events[0]?.code ?? '', /^METADATA_/);
      assert.deepEqual((await h.sp.stores.profiles.get(SEED.accountCode))?.idpCertificates, profile.idpCertificates);
      assert.equal((await readEvents()).body.events[0]?.kind, 'fetch-failed');
    } finally {
      await h.sp.stores.profiles.put(profile);
    }
  });

  test('events of an unknown account are ACCOUNT_NOT_FOUND, a bad limit VALIDATION_FAILED', async () => {
    const missing = await fetch(`${h.spUrl}/api/accounts/CNOSUCH1/metadata-events`, { headers: { accept: 'application/json' } });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: string }).error, 'ACCOUNT_NOT_FOUND');
    const bad = await fetch(`${h.spUrl}/api/accounts/${SEED.accountCode}/metadata-events?limit=0`, {
      headers: { accept: 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'VALIDATION_FAILED');
  });
});
