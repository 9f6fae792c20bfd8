import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, removeElement, withCore } from '../../../_helpers/check-assert.js';
import { URLS } from '../../../_helpers/sp-core.js';

describe('audience check', () => {
  test("the account's Entra Identifier passes", async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.entraIdentifier }));
      assertCheck(outcome, 'audience', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('another account code is SP_AUDIENCE_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: 'https://eu-api.mimecast.com/sso/CUK99Z99' }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('the same code in another region is SP_AUDIENCE_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.entraIdentifier.replace('eu-api', 'us-api') }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('the legacy eu-api.mimecast.com.CODE form for an Entra profile is SP_AUDIENCE_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.legacyIdentifier }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test("the legacy form passes when the profile's provider is 'other'", async () => {
    await withCore({ profile: { provider: 'other' } }, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.legacyIdentifier }));
      assertCheck(outcome, 'audience', 'pass');
      assertSignedIn(outcome);
    });
  });

  test("the Entra form is SP_AUDIENCE_MISMATCH when the profile's provider is 'other'", async () => {
    await withCore({ profile: { provider: 'other' } }, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.entraIdentifier }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test("spn:<app id> (Entra's fallback audience) is SP_AUDIENCE_MISMATCH", async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: 'spn:4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8' }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('the Identifier with a trailing slash is SP_AUDIENCE_MISMATCH (exact comparison)', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: `${URLS.entraIdentifier}/` }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('no AudienceRestriction is SP_AUDIENCE_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ beforeSign: (doc) => removeElement(doc, NS.saml, 'AudienceRestriction') }));
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISSING');
    });
  });

  test('an AudienceRestriction listing the Identifier among other audiences passes', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({
        beforeSign: (doc) => {
          const restriction = doc.getElementsByTagNameNS(NS.saml, 'AudienceRestriction').item(0) as Element;
          const other = doc.createElementNS(NS.saml, 'Audience');
          other.appendChild(doc.createTextNode('https://another-sp.example/'));
          restriction.insertBefore(other, restriction.firstChild);
        },
      });
      const outcome = await post(t, response);
      assertCheck(outcome, 'audience', 'pass');
    });
  });

  test('a second AudienceRestriction that excludes this SP is SP_AUDIENCE_MISMATCH (restrictions are a conjunction)', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({
        beforeSign: (doc) => {
          const conditions = doc.getElementsByTagNameNS(NS.saml, 'Conditions').item(0) as Element;
          const restriction = doc.createElementNS(NS.saml, 'AudienceRestriction');
          const other = doc.createElementNS(NS.saml, 'Audience');
          other.appendChild(doc.createTextNode('https://another-sp.example/'));
          restriction.appendChild(other);
          conditions.insertBefore(restriction, conditions.firstChild);
        },
      });
      const outcome = await post(t, response);
      // SAML Core 2.5.1.4: each AudienceRestriction must be satisfied on its own.
      assertRefusedBy(outcome, 'audience', 'SP_AUDIENCE_MISMATCH');
    });
  });
});
