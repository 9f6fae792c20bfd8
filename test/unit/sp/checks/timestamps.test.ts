import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, firstElement, post, withCore } from '../../../_helpers/check-assert.js';
import { NOW } from '../../../_helpers/sp-core.js';

const MINUTE = 60_000;
const SKEW = 180_000;
const at = (ms: number): Date => new Date(NOW.getTime() + ms);

describe('timestamps check', () => {
  test('a fresh response passes', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'timestamps', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('an expired assertion is SP_TIME_EXPIRED', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(t, t.respond({ issueInstant: at(-2 * 60 * MINUTE) }));
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_EXPIRED');
    });
  });

  test('an assertion not valid yet is SP_TIME_NOT_YET_VALID', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(t, t.respond({ issueInstant: at(60 * MINUTE) }));
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_NOT_YET_VALID');
    });
  });

  test('exactly at NotOnOrAfter + skew the assertion is expired; 1 ms before it is valid', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const lifetimeMs = 10 * MINUTE;
      const notOnOrAfter = NOW.getTime() + lifetimeMs;
      t.clock.set(new Date(notOnOrAfter + SKEW - 1));
      const justValid = await post(t, t.respond({ issueInstant: NOW, lifetimeMs }));
      assertCheck(justValid, 'timestamps', 'pass');
      assertSignedIn(justValid);
      t.clock.set(new Date(notOnOrAfter + SKEW));
      const expired = await post(t, t.respond({ issueInstant: NOW, lifetimeMs }));
      assertRefusedBy(expired, 'timestamps', 'SP_TIME_EXPIRED');
    });
  });

  test('SubjectConfirmationData NotOnOrAfter alone at now − skew is expired', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(t, t.respond({ confirmationLifetimeMs: -SKEW }));
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_EXPIRED');
    });
  });

  test('NotBefore exactly at now + skew is valid; 1 ms later it is not yet valid', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const atEdge = await post(t, t.respond({ issueInstant: at(SKEW), notBeforeSkewMs: 0 }));
      assertCheck(atEdge, 'timestamps', 'pass');
      assertSignedIn(atEdge);
      const beyond = await post(t, t.respond({ issueInstant: at(SKEW + 1), notBeforeSkewMs: 0 }));
      assertRefusedBy(beyond, 'timestamps', 'SP_TIME_NOT_YET_VALID');
    });
  });

  test('a SubjectConfirmationData NotBefore in the future is SP_TIME_NOT_YET_VALID', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(
        t,
        t.respond({
          beforeSign: (doc) =>
            firstElement(doc, NS.saml, 'SubjectConfirmationData').setAttribute('NotBefore', at(30 * MINUTE).toISOString()),
        }),
      );
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_NOT_YET_VALID');
    });
  });

  test('a NotOnOrAfter that is not a valid SAML dateTime is refused (SP_TIME_MISSING)', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      for (const value of ['tomorrow', '2099-13-45T99:00:00Z', '2027-03-01T11:00:00', '']) {
        const outcome = await post(
          t,
          t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'Conditions').setAttribute('NotOnOrAfter', value) }),
        );
        assertRefusedBy(outcome, 'timestamps', 'SP_TIME_MISSING');
      }
    });
  });

  test('a NotBefore that is not a valid SAML dateTime is refused (SP_TIME_MISSING)', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(
        t,
        t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'Conditions').setAttribute('NotBefore', 'a while ago') }),
      );
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_MISSING');
    });
  });

  test('a bearer SubjectConfirmationData without NotOnOrAfter is SP_TIME_MISSING', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(
        t,
        t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'SubjectConfirmationData').removeAttribute('NotOnOrAfter') }),
      );
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_MISSING');
    });
  });

  test('an explicit UTC offset is read as the same instant', async () => {
    await withCore({ settings: { clockSkewMs: SKEW } }, async (t) => {
      const outcome = await post(
        t,
        t.respond({
          beforeSign: (doc) => firstElement(doc, NS.saml, 'Conditions').setAttribute('NotOnOrAfter', '2027-03-01T11:30:00.000+01:00'),
        }),
      );
      // 11:30+01:00 is 10:30Z, half an hour after NOW.
      assertCheck(outcome, 'timestamps', 'pass');
      assertSignedIn(outcome);
    });
  });
});
