import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EvaluationEnv, evaluateSamlResponse } from '../../../src/core/sp/evaluate.js';
import { createNodeSamlGate } from '../../../src/core/sp/node-saml-gate.js';
import { assertCheck, post, withCore } from '../../_helpers/check-assert.js';
import { NOW } from '../../_helpers/sp-core.js';

function env(overrides: Partial<EvaluationEnv>): EvaluationEnv {
  return {
    now: NOW,
    clockFrozen: true,
    validation: { clockSkewMs: 180_000, refuseSha1: false, maxSamlBytes: 256 * 1024 },
    decryptionKey: null,
    gate: createNodeSamlGate(),
    resolve: async () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
    ...overrides,
  };
}

describe('evaluation faults are refusals, never server errors', () => {
  test('a phase that throws on a message gives one SP_EVALUATION_FAILED result, with the decoded XML kept for the trace', async () => {
    await withCore({}, async (t) => {
      const evaluation = await evaluateSamlResponse(t.respond(), env({}));
      assert.equal(evaluation.ok, false);
      assert.deepEqual(
        evaluation.checks.map((c) => [c.id, c.status, c.code]),
        [['payload', 'fail', 'SP_EVALUATION_FAILED']],
      );
      assert.ok(evaluation.xml?.includes('Assertion'));
    });
  });

  test('the node-saml gate throwing inside the ACS is recorded as a failure trace', async () => {
    await withCore({}, async (t) => {
      t.ctx.nodeSamlGate = {
        validate: async () => {
          throw new Error('boom');
        },
        close() {},
      };
      const outcome = await post(t, t.respond());
      assert.equal(outcome.ok, false);
      assertCheck(outcome, 'payload', 'fail', 'SP_EVALUATION_FAILED');
      assert.equal(
        (await t.stores.traces.list({ limit: 5 })).some((trace) => trace.id === outcome.trace.id),
        true,
      );
    });
  });
});
