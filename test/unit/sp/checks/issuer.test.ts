import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefusedBy,
  assertSignedIn,
  firstElement,
  post,
  removeElement,
  tamper,
  withCore,
} from '../../../_helpers/check-assert.js';

const EVIL_ISSUER = 'https://sts.windows.net/99999999-8888-7777-6666-555555555555/';

/** The Issuer that is a direct child of the Response (not the assertion's). */
function responseIssuer(doc: Document): Element {
  const root = doc.documentElement as Element;
  const issuer = Array.from(root.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Issuer');
  assert.ok(issuer);
  return issuer;
}

function assertionIssuer(doc: Document): Element {
  return firstElement(firstElement(doc, NS.saml, 'Assertion'), NS.saml, 'Issuer');
}

describe('issuer check', () => {
  test("the profile's Issuer URL on Response and assertion passes", async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'issuer', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('another tenant as Issuer (Response and assertion) is SP_ISSUER_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ issuer: EVIL_ISSUER }));
      assertRefusedBy(outcome, 'issuer', 'SP_ISSUER_MISMATCH');
    });
  });

  test('a wrong assertion Issuer with the right Response Issuer is SP_ISSUER_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ beforeSign: (doc) => (assertionIssuer(doc).textContent = EVIL_ISSUER) });
      const outcome = await post(t, response);
      assertCheck(outcome, 'signature', 'pass');
      assertRefusedBy(outcome, 'issuer', 'SP_ISSUER_MISMATCH');
    });
  });

  test('the unsigned Response Issuer changed after signing the assertion is SP_ISSUER_MISMATCH', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => (responseIssuer(doc).textContent = EVIL_ISSUER));
      const outcome = await post(t, response);
      // The assertion signature does not cover the Response Issuer, so only this check can catch it.
      assertCheck(outcome, 'signature', 'pass');
      assertRefusedBy(outcome, 'issuer', 'SP_ISSUER_MISMATCH');
    });
  });

  test('an assertion without Issuer is SP_ISSUER_MISSING', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ beforeSign: (doc) => removeElement(firstElement(doc, NS.saml, 'Assertion'), NS.saml, 'Issuer') });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'issuer', 'SP_ISSUER_MISSING');
    });
  });

  test('a Response without Issuer (optional) but the right assertion Issuer passes', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => responseIssuer(doc).parentNode?.removeChild(responseIssuer(doc)));
      const outcome = await post(t, response);
      assertCheck(outcome, 'issuer', 'pass');
    });
  });

  test('the issuer without its trailing slash is SP_ISSUER_MISMATCH (exact comparison)', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ issuer: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47' }));
      assertRefusedBy(outcome, 'issuer', 'SP_ISSUER_MISMATCH');
    });
  });
});
