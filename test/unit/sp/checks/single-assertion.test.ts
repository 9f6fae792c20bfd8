import { describe, test } from 'node:test';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, firstElement, post, tamper, withCore } from '../../../_helpers/check-assert.js';

describe('single-assertion check', () => {
  test('one assertion directly under the Response passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'single-assertion', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('a Success response without an assertion is SP_ASSERTION_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ includeAssertion: false }));
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_MISSING');
    });
  });

  test('a second assertion after the signed one is SP_ASSERTION_COUNT', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const copy = firstElement(doc, NS.saml, 'Assertion').cloneNode(true) as Element;
        copy.setAttribute('ID', '_second');
        (doc.documentElement as Element).appendChild(copy);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_COUNT');
    });
  });

  test('the same signed assertion twice (same ID) is SP_ASSERTION_COUNT', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const copy = firstElement(doc, NS.saml, 'Assertion').cloneNode(true);
        (doc.documentElement as Element).appendChild(copy);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_COUNT');
    });
  });

  test('an assertion hidden in Extensions beside the direct one is SP_ASSERTION_COUNT', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const root = doc.documentElement as Element;
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        const copy = firstElement(doc, NS.saml, 'Assertion').cloneNode(true) as Element;
        copy.setAttribute('ID', '_hidden');
        extensions.appendChild(copy);
        root.insertBefore(extensions, firstElement(doc, NS.samlp, 'Status'));
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_COUNT');
    });
  });

  test('the only assertion nested below another element (not a direct child) is SP_ASSERTION_MISSING', async () => {
    await withCore({}, async (t) => {
      const response = tamper(t.respond(), (doc) => {
        const root = doc.documentElement as Element;
        const assertion = firstElement(doc, NS.saml, 'Assertion');
        const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
        root.removeChild(assertion);
        extensions.appendChild(assertion);
        root.appendChild(extensions);
      });
      const outcome = await post(t, response);
      assertRefusedBy(outcome, 'single-assertion', 'SP_ASSERTION_MISSING');
      // With nothing to consume, the assertion checks have nothing to read.
      assertCheck(outcome, 'name-id', 'skip');
    });
  });
});
