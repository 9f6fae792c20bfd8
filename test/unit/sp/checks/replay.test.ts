import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { NS } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefused,
  assertRefusedBy,
  assertSignedIn,
  decodeXml,
  firstElement,
  post,
  signing,
  withCore,
} from '../../../_helpers/check-assert.js';
import { ACCOUNT, NOW, USER_EMAIL } from '../../../_helpers/sp-core.js';

function readAssertionId(samlResponse: string): string {
  const doc = new DOMParser().parseFromString(decodeXml(samlResponse), 'text/xml');
  const id = doc.getElementsByTagNameNS(NS.saml, 'Assertion').item(0)?.getAttribute('ID');
  assert.ok(id);
  return id;
}

describe('replay check', () => {
  test('the first use of an assertion passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'replay', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('the same response posted twice: the second is SP_REPLAY', async () => {
    await withCore({}, async (t) => {
      const response = t.respond();
      assertSignedIn(await post(t, response));
      const again = await post(t, response);
      assertRefusedBy(again, 'replay', 'SP_REPLAY');
    });
  });

  test('the same assertion ID in a new response envelope is SP_REPLAY', async () => {
    await withCore({}, async (t) => {
      const first = t.respond();
      assertSignedIn(await post(t, first));
      const assertionId = readAssertionId(first);
      const again = await post(t, t.respond({ ids: { responseId: '_another-response', assertionId } }));
      assertRefusedBy(again, 'replay', 'SP_REPLAY');
    });
  });

  test('the same response posted twice at once: only one sign-in succeeds', async () => {
    await withCore({}, async (t) => {
      const response = t.respond();
      const outcomes = await Promise.all([post(t, response), post(t, response)]);
      assert.equal(outcomes.filter((o) => o.ok).length, 1);
      const loser = outcomes.find((o) => !o.ok);
      assert.ok(loser);
      assertRefusedBy(loser, 'replay', 'SP_REPLAY');
    });
  });

  test('a failed first attempt does not burn the assertion id', async () => {
    await withCore({}, async (t) => {
      await t.stores.directory.delete(ACCOUNT.code, USER_EMAIL);
      const response = t.respond();
      assertRefusedBy(await post(t, response), 'directory-user', 'SP_USER_NOT_FOUND');
      await t.stores.directory.create(
        {
          accountCode: ACCOUNT.code,
          email: USER_EMAIL,
          globalName: 'B. Simon',
          forceChangeAtLogin: false,
          roles: [],
          createdAt: NOW.toISOString(),
        },
        null,
      );
      const retry = await post(t, response);
      assertCheck(retry, 'replay', 'pass');
      assertSignedIn(retry);
    });
  });

  test('a replay stays refused after the clock moves on within the assertion lifetime', async () => {
    await withCore({}, async (t) => {
      const response = t.respond();
      assertSignedIn(await post(t, response));
      t.clock.advance(30 * 60_000);
      assertRefusedBy(await post(t, response), 'replay', 'SP_REPLAY');
    });
  });

  test('an assertion without ID under a signed Response cannot be used twice', async () => {
    await withCore({}, async (t) => {
      // SAML Core 2.3.3: ID is required. Without one the replay cache has nothing to remember.
      const response = t.respond({
        signing: signing({ option: 'response' }),
        beforeSign: (doc) => firstElement(doc, NS.saml, 'Assertion').removeAttribute('ID'),
      });
      const first = await post(t, response);
      const second = await post(t, response);
      assertRefused(second);
      assertRefused(first);
      assertCheck(first, 'replay', 'fail');
    });
  });
});
