/**
 * A profile filled from Entra's tenant-wide federation metadata (no ?appid=) trusts the tenant's keys,
 * not the app's signing certificate: the sign-in fails on the signature, and the failing check's hint
 * names the tenant-wide import instead of the catalogue's general advice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeError } from '../../src/core/errors.js';
import { importProfileMetadata } from '../../src/core/sp/profile-import.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

const SIGNATURE_CODES = ['SP_SIGNATURE_UNTRUSTED_CERT', 'SP_SIGNATURE_VALUE_INVALID'];

describe('tenant-wide metadata imported into a profile', () => {
  let h: Harness;
  before(async () => {
    h = await startTestHarness();
  });
  after(() => h.close());

  test('the import is remembered, and the signature failure says to use the App Federation Metadata Url', async () => {
    const seed = h.walkthrough.idp;
    assert.ok(seed);
    const tenantWideUrl = `${h.idpUrl}/${seed.tenantId}/federationmetadata/2007-06/federationmetadata.xml`;
    const imported = await importProfileMetadata(h.sp.ctx, SEED.accountCode, { url: tenantWideUrl });
    assert.ok(imported.findings.some((f) => f.code === 'METADATA_TENANT_WIDE'));
    assert.equal(imported.profile.importedTenantWide, true);

    const result = await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password });
    assert.equal(result.ok, false);
    const code = result.trace?.summary.firstFailure ?? '';
    assert.ok(SIGNATURE_CODES.includes(code), code);
    const failing = (result.trace?.checks ?? []).filter((c) => c.status === 'fail' && c.code === code);
    assert.ok(failing.length > 0);
    for (const check of failing) {
      assert.equal(typeof check.hint, 'string', check.id);
      assert.notEqual(check.hint, describeError(code as 'SP_SIGNATURE_UNTRUSTED_CERT').hint, check.id);
    }

    // The app's own metadata puts it right, and the flag goes with it.
    const fixed = await importProfileMetadata(h.sp.ctx, SEED.accountCode, { url: seed.appFederationMetadataUrl });
    assert.equal(fixed.profile.importedTenantWide, false);
    assert.equal((await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password })).ok, true);
  });
});
