import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectTrustedCertificates } from '../../../../src/core/sp/accounts.js';
import { assertCheck, assertSignedIn, post, signing, withCore } from '../../../_helpers/check-assert.js';
import { idp1, idp2 } from '../../../_helpers/test-keys.js';

/**
 * "Identity Provider Certificate (Metadata)" holds every certificate of the metadata. Whether Mimecast
 * trusts all of them is not documented (inferred), so the profile says: all (default) or the first only.
 */
describe('trusted metadata certificates', () => {
  const both = { idpCertificates: [idp1.cert, idp2.cert] };

  test('by default every certificate of the profile verifies: a response signed with the second signs in', async () => {
    await withCore({ profile: both }, async (t) => {
      assertSignedIn(await post(t, t.respond({ signing: signing({ key: idp2.key, cert: idp2.cert }) })));
    });
  });

  test('"first only": a response signed with the second certificate is refused by the signature check', async () => {
    await withCore({ profile: { ...both, trustedMetadataCertificates: 'first' } }, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ key: idp2.key, cert: idp2.cert }) }));
      assert.equal(outcome.ok, false);
      assertCheck(outcome, 'signature', 'fail');
    });
  });

  test('"first only": the first certificate still signs in', async () => {
    await withCore({ profile: { ...both, trustedMetadataCertificates: 'first' } }, async (t) => {
      assertSignedIn(await post(t, t.respond()));
    });
  });

  test('a profile stored before the option reads as all', () => {
    assert.deepEqual(selectTrustedCertificates({ idpCertificates: ['a', 'b'] } as never), ['a', 'b']);
    assert.deepEqual(selectTrustedCertificates(null), []);
  });
});
