import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectHeadlineFailure } from '../../../src/core/sp/traces.js';
import { post, withCore } from '../../_helpers/check-assert.js';

describe('the headline failure of a report', () => {
  test('a wrong Identifier is headlined by the audience check, not by the node-saml gate that also refuses it', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: 'https://eu-api.mimecast.com/sso/CWRONG9' }));
      const failing = outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      assert.deepEqual(failing.sort(), ['audience', 'node-saml']);
      assert.equal(outcome.trace.summary.firstFailure, 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('node-saml is the headline only when it is the sole failure', () => {
    const base = { title: '', message: '', specRef: '' };
    assert.equal(selectHeadlineFailure([{ ...base, id: 'node-saml', status: 'fail', code: 'SP_NODE_SAML_REJECTED' }])?.id, 'node-saml');
    assert.equal(selectHeadlineFailure([{ ...base, id: 'audience', status: 'pass' }]), undefined);
  });
});
