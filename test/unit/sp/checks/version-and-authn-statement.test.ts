import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import {
  assertCheck,
  assertRefusedBy,
  assertSignedIn,
  firstElement,
  post,
  removeElement,
  withCore,
} from '../../../_helpers/check-assert.js';

describe('version check (SAML Core 3.2.2, 2.3.3)', () => {
  test('a SAML 2.0 response passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'version', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('an assertion declaring Version="1.1" is refused with SP_VERSION_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ beforeSign: (doc) => firstElement(doc, NS.saml, 'Assertion').setAttribute('Version', '1.1') });
      assertRefusedBy(await post(t, response), 'version', 'SP_VERSION_UNSUPPORTED');
    });
  });

  test('a Response without Version is refused with SP_VERSION_UNSUPPORTED', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ beforeSign: (doc) => doc.documentElement?.removeAttribute('Version') });
      assertRefusedBy(await post(t, response), 'version', 'SP_VERSION_UNSUPPORTED');
    });
  });
});

describe('authn-statement check (SAML Profiles 4.1.4.2)', () => {
  test('an assertion with its AuthnStatement passes', async () => {
    await withCore({}, async (t) => {
      assertCheck(await post(t, t.respond()), 'authn-statement', 'pass');
    });
  });

  test('an assertion without AuthnStatement is refused with SP_AUTHN_STATEMENT_MISSING', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ beforeSign: (doc) => removeElement(doc, NS.saml, 'AuthnStatement') });
      assertRefusedBy(await post(t, response), 'authn-statement', 'SP_AUTHN_STATEMENT_MISSING');
    });
  });
});
