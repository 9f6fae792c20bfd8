import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, firstElement, post, withCore } from '../../../_helpers/check-assert.js';
import { URLS } from '../../../_helpers/sp-core.js';

describe('recipient check', () => {
  test('the local ACS URL passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'recipient', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('another URL is SP_RECIPIENT_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ recipient: 'https://other-sp.example/acs' }));
      assertRefusedBy(outcome, 'recipient', 'SP_RECIPIENT_MISMATCH');
      assertCheck(outcome, 'destination', 'pass');
    });
  });

  test('a missing Recipient is SP_RECIPIENT_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'SubjectConfirmationData').removeAttribute('Recipient') }),
      );
      assertRefusedBy(outcome, 'recipient', 'SP_RECIPIENT_MISSING');
    });
  });

  test('the production Reply URL passes when acceptProductionUrls is on', async () => {
    await withCore({ settings: { acceptProductionUrls: true } }, async (t) => {
      const outcome = await post(t, t.respond({ recipient: URLS.productionAcsUrl }));
      assertCheck(outcome, 'recipient', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('the production Reply URL is SP_RECIPIENT_MISMATCH when acceptProductionUrls is off', async () => {
    await withCore({ settings: { acceptProductionUrls: false } }, async (t) => {
      const outcome = await post(t, t.respond({ recipient: URLS.productionAcsUrl }));
      assertRefusedBy(outcome, 'recipient', 'SP_RECIPIENT_MISMATCH');
    });
  });
});
