import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../../../src/core/sp/accounts.js';
import { buildRequestedContexts } from '../../../src/core/sp/sign-in.js';

describe("a new Mimecast authentication profile takes Mimecast's defaults", () => {
  const profile = buildDefaultProfile('CUK12A34', new Date('2027-03-01T10:00:00Z'));

  test('both context switches ticked: the AuthnRequest asks for PasswordProtectedTransport and windows', () => {
    assert.equal(profile.usePasswordProtectedContext, true);
    assert.equal(profile.useIntegratedAuthContext, true);
    assert.equal(buildRequestedContexts(profile).length, 2);
  });

  test('Allow Single Sign On and the Enforce switches unticked; no encryption, every certificate trusted', () => {
    assert.deepEqual(
      [profile.allowSingleSignOn, profile.enforceAdminConsole, profile.enforcePersonalPortal, profile.enforceEndUserApps],
      [false, false, false, false],
    );
    assert.equal(profile.acceptEncryptedAssertions, false);
    assert.equal(profile.trustedMetadataCertificates, 'all');
  });

  test("the tutorial's switches untick both contexts and tick Allow Single Sign On", () => {
    assert.deepEqual(buildRequestedContexts({ ...profile, ...TUTORIAL_PROFILE_SWITCHES }), []);
    assert.equal({ ...profile, ...TUTORIAL_PROFILE_SWITCHES }.allowSingleSignOn, true);
  });
});
