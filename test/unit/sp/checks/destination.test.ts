import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertCheck, assertRefusedBy, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { URLS } from '../../../_helpers/sp-core.js';

describe('destination check', () => {
  test('the local ACS URL passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'destination', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('another URL is SP_DESTINATION_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ destination: 'https://sp.evil.example/login/saml', recipient: URLS.localAcsUrl }));
      assertRefusedBy(outcome, 'destination', 'SP_DESTINATION_MISMATCH');
    });
  });

  test("another region's production Reply URL is SP_DESTINATION_MISMATCH", async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ destination: 'https://us-api.mimecast.com/login/saml', recipient: URLS.localAcsUrl }));
      assertRefusedBy(outcome, 'destination', 'SP_DESTINATION_MISMATCH');
    });
  });

  test('the production Reply URL is accepted when acceptProductionUrls is on', async () => {
    await withCore({ settings: { acceptProductionUrls: true } }, async (t) => {
      const outcome = await post(t, t.respond({ destination: URLS.productionAcsUrl }));
      assertCheck(outcome, 'destination', 'pass');
      assertCheck(outcome, 'recipient', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('the production Reply URL is refused when acceptProductionUrls is off', async () => {
    await withCore({ settings: { acceptProductionUrls: false } }, async (t) => {
      const outcome = await post(t, t.respond({ destination: URLS.productionAcsUrl, recipient: URLS.localAcsUrl }));
      assertRefusedBy(outcome, 'destination', 'SP_DESTINATION_MISMATCH');
    });
  });

  test('a missing Destination is a warning (SP_DESTINATION_MISSING) and the sign-in still succeeds', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ destination: null, recipient: URLS.localAcsUrl }));
      assertCheck(outcome, 'destination', 'warn', 'SP_DESTINATION_MISSING');
      assertSignedIn(outcome);
    });
  });

  test('a Destination differing only by a trailing slash or case is SP_DESTINATION_MISMATCH', async () => {
    await withCore({}, async (t) => {
      for (const destination of [`${URLS.localAcsUrl}/`, URLS.localAcsUrl.toUpperCase()]) {
        const outcome = await post(t, t.respond({ destination, recipient: URLS.localAcsUrl }));
        assertRefusedBy(outcome, 'destination', 'SP_DESTINATION_MISMATCH');
        assert.equal(outcome.trace.checks.find((c) => c.id === 'destination')?.received, destination);
      }
    });
  });
});
