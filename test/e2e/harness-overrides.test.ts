import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigProblem } from '../../src/config/load.js';
import { AppError } from '../../src/core/errors.js';
import { type HarnessOverrides, startTestHarness } from '../../src/testing/harness.js';

/** The CONFIG_INVALID problems a refused override produces, as [path, source] pairs. */
async function readRefusal(overrides: unknown): Promise<[string, string][]> {
  const error = await startTestHarness(overrides as HarnessOverrides).then(
    async (h) => {
      await h.close();
      return null;
    },
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, 'refused with an AppError');
  assert.equal(error.code, 'CONFIG_INVALID');
  return (error.details as ConfigProblem[]).map((p) => [p.path, p.source]);
}

describe('startTestHarness validates its overrides like the configuration file', () => {
  test('a value the schema refuses', async () => {
    assert.deepEqual(await readRefusal({ sp: { port: 70_000 } }), [['sp.port', 'override']]);
    assert.deepEqual(await readRefusal({ logLevel: 'loud' }), [['logLevel', 'override']]);
    assert.deepEqual(await readRefusal({ traces: { maxCount: 0 } }), [['traces.maxCount', 'override']]);
  });

  test('an unknown setting, and a section that is not an object', async () => {
    assert.deepEqual(await readRefusal({ saml: { refuseSha2: true } }), [['saml.refuseSha2', 'override']]);
    assert.deepEqual(await readRefusal({ samll: {} }), [['samll', 'override']]);
    assert.deepEqual(await readRefusal({ saml: 'strict' }), [['saml', 'override']]);
  });

  test('every problem at once, with the value as given', async () => {
    const error = await startTestHarness({ sp: { port: -1 }, saml: { clockSkewSeconds: 1.5 } }).catch((e: unknown) => e);
    assert.ok(error instanceof AppError);
    const details = error.details as ConfigProblem[];
    assert.deepEqual(
      details.map((p) => [p.path, p.value]),
      [
        ['sp.port', -1],
        ['saml.clockSkewSeconds', 1.5],
      ],
    );
  });

  test('the rules across settings hold too: beyond loopback needs an admin token', async () => {
    assert.deepEqual(await readRefusal({ sp: { host: '0.0.0.0' } }), [['sp.host', 'override']]);
  });

  test('overrides that are not an object at all', async () => {
    assert.deepEqual(await readRefusal('strict'), [['', 'override']]);
  });

  test('good overrides are applied over the in-process defaults', async () => {
    const h = await startTestHarness({ saml: { refuseSha1: true }, traces: { maxCount: 7 }, seed: false });
    try {
      assert.equal(h.config.saml.refuseSha1, true);
      assert.equal(h.config.traces.maxCount, 7);
      assert.equal(h.config.databasePath, ':memory:');
      assert.equal(h.config.sp.host, '127.0.0.1');
      assert.notEqual(new URL(h.spUrl).port, '0');
      assert.equal(h.walkthrough.spSeeded, false);
    } finally {
      await h.close();
    }
  });
});
