import { describe, test } from 'node:test';
import { NS, SUBJECT_CONFIRMATION } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefusedBy,
  assertSignedIn,
  firstElement,
  post,
  removeElement,
  withCore,
} from '../../../_helpers/check-assert.js';

describe('subject-confirmation check', () => {
  test('bearer passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'subject-confirmation', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('holder-of-key is SP_SUBJECT_CONFIRMATION_NOT_BEARER', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ confirmationMethod: SUBJECT_CONFIRMATION.holderOfKey }));
      assertRefusedBy(outcome, 'subject-confirmation', 'SP_SUBJECT_CONFIRMATION_NOT_BEARER');
      // Without a bearer confirmation there is no Recipient to read.
      assertCheck(outcome, 'recipient', 'skip');
    });
  });

  test('sender-vouches is SP_SUBJECT_CONFIRMATION_NOT_BEARER', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ confirmationMethod: SUBJECT_CONFIRMATION.senderVouches }));
      assertRefusedBy(outcome, 'subject-confirmation', 'SP_SUBJECT_CONFIRMATION_NOT_BEARER');
    });
  });

  test('no SubjectConfirmation at all is SP_SUBJECT_CONFIRMATION_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ beforeSign: (doc) => removeElement(doc, NS.saml, 'SubjectConfirmation') }));
      assertRefusedBy(outcome, 'subject-confirmation', 'SP_SUBJECT_CONFIRMATION_MISSING');
    });
  });

  test('a SubjectConfirmation without Method is SP_SUBJECT_CONFIRMATION_NOT_BEARER', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'SubjectConfirmation').removeAttribute('Method') }),
      );
      assertRefusedBy(outcome, 'subject-confirmation', 'SP_SUBJECT_CONFIRMATION_NOT_BEARER');
    });
  });
});
