import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NAMEID_FORMAT, NS } from '../../../../src/core/saml/constants.js';
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
import { TEST_OBJECT_ID } from '../../../_helpers/idp-signer.js';

describe('name-id check', () => {
  test('an email NameID passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'name-id', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('no NameID is SP_NAMEID_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ beforeSign: (doc) => removeElement(doc, NS.saml, 'NameID') }));
      assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_MISSING');
    });
  });

  test('an empty NameID is SP_NAMEID_MISSING', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ nameId: { value: '' } }));
      assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_MISSING');
    });
  });

  test('a persistent GUID (Name ID source user.objectid) is SP_NAMEID_NOT_EMAIL', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ nameId: { value: TEST_OBJECT_ID, format: NAMEID_FORMAT.persistent } }));
      assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_NOT_EMAIL');
      assert.ok(!outcome.trace.checks.find((c) => c.id === 'name-id')?.hint?.includes('pairwise'));
    });
  });

  test('a pairwise persistent NameID (empty Name ID source) is SP_NAMEID_NOT_EMAIL whose hint names the empty source', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({ nameId: { value: 'bVDP1cdwm0B1c0_cMw9mVz6MrG7dnmNFVzqS4lYZyIw', format: NAMEID_FORMAT.persistent } }),
      );
      assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_NOT_EMAIL');
      const hint = outcome.trace.checks.find((c) => c.id === 'name-id')?.hint ?? '';
      assert.ok(
        hint.startsWith('Entra sent a pairwise NameID because the Name ID source attribute (e.g. user.mail) is empty for this user'),
      );
    });
  });

  test('a bare user name is SP_NAMEID_NOT_EMAIL', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ nameId: { value: 'CONTOSO\\bsimon' } }));
      assertRefusedBy(outcome, 'name-id', 'SP_NAMEID_NOT_EMAIL');
    });
  });

  test('an email with the unspecified format still passes', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ nameId: { format: NAMEID_FORMAT.unspecified } }));
      assertCheck(outcome, 'name-id', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('a comment inserted after signing does not truncate the NameID: the whole value is read and matches no user', async () => {
    await withCore({}, async (t) => {
      // The attacker registered b.simon@contoso.com.evil.example at the IdP and got it signed.
      const signedValue = 'b.simon@contoso.com.evil.example';
      const response = tamper(t.respond({ nameId: { value: signedValue } }), (doc) => {
        const nameId = firstElement(doc, NS.saml, 'NameID');
        nameId.textContent = '';
        nameId.appendChild(doc.createTextNode('b.simon@contoso.com'));
        nameId.appendChild(doc.createComment(''));
        nameId.appendChild(doc.createTextNode('.evil.example'));
      });
      const outcome = await post(t, response);
      // Exclusive C14N drops comments, so the signature still verifies: reading must do the defending.
      assertCheck(outcome, 'signature', 'pass');
      assert.equal(outcome.trace.summary.nameId, signedValue);
      assertRefusedBy(outcome, 'directory-user', 'SP_USER_NOT_FOUND');
    });
  });

  test('a NameID split by a comment is read as its whole text', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({
        beforeSign: (doc) => {
          const nameId = firstElement(doc, NS.saml, 'NameID');
          nameId.textContent = '';
          nameId.appendChild(doc.createTextNode('B.Simon@'));
          nameId.appendChild(doc.createComment('split'));
          nameId.appendChild(doc.createTextNode('contoso.com'));
        },
      });
      const outcome = await post(t, response);
      assertCheck(outcome, 'name-id', 'pass');
      assert.equal(assertSignedIn(outcome).nameId, 'B.Simon@contoso.com');
    });
  });
});
