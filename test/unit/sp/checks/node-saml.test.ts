import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { systemClock } from '../../../../src/core/clock.js';
import type { NodeSamlVerdict } from '../../../../src/core/sp/node-saml-gate.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, signing, withCore } from '../../../_helpers/check-assert.js';
import { NOW, type TestSpCore, URLS } from '../../../_helpers/sp-core.js';
import { idp2 } from '../../../_helpers/test-keys.js';

const HOUR = 3_600_000;

describe('node-saml check', () => {
  test('with the frozen clock a valid response passes: its time checks are delegated', async () => {
    await withCore({}, async (t) => {
      // NOW is far from the wall clock, so node-saml would refuse it on time if it judged time itself.
      assert.ok(Math.abs(Date.now() - NOW.getTime()) > HOUR);
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'node-saml', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('node-saml refuses the legacy Identifier for an Entra profile: SP_NODE_SAML_REJECTED', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: URLS.legacyIdentifier }));
      assertRefusedBy(outcome, 'node-saml', 'SP_NODE_SAML_REJECTED');
      assertCheck(outcome, 'audience', 'fail', 'SP_AUDIENCE_MISMATCH');
    });
  });

  test('node-saml refuses an audience of another account resolved by issuer', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ audience: 'https://eu-api.mimecast.com/sso/CUK00X00' }));
      assertRefusedBy(outcome, 'node-saml', 'SP_NODE_SAML_REJECTED');
    });
  });

  test('node-saml refuses an unsigned response and one signed by an untrusted key', async () => {
    await withCore({}, async (t) => {
      assertRefusedBy(await post(t, t.respond({ signing: signing({ option: 'none' }) })), 'node-saml', 'SP_NODE_SAML_REJECTED');
      assertRefusedBy(
        await post(t, t.respond({ signing: signing({ key: idp2.key, cert: idp2.cert }) })),
        'node-saml',
        'SP_NODE_SAML_REJECTED',
      );
    });
  });

  test('node-saml skips when the profile has no certificates', async () => {
    await withCore({ profile: { idpCertificates: [] } }, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'node-saml', 'skip');
      assert.equal(outcome.ok, false);
    });
  });

  test('an expired response under the frozen clock: node-saml passes, the timestamps check refuses', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ issueInstant: new Date(NOW.getTime() - 3 * HOUR) }));
      assertCheck(outcome, 'node-saml', 'pass');
      assertRefusedBy(outcome, 'timestamps', 'SP_TIME_EXPIRED');
    });
  });

  test('with the wall clock, node-saml judges time itself and refuses an expired response', async () => {
    await withCore({}, async (t) => {
      t.ctx.clock = systemClock;
      const fresh = await post(t, t.respond({ issueInstant: new Date() }));
      assertCheck(fresh, 'node-saml', 'pass');
      assertSignedIn(fresh);
      const expired = await post(t, t.respond({ issueInstant: new Date(Date.now() - 3 * HOUR) }));
      assertRefusedBy(expired, 'node-saml', 'SP_NODE_SAML_REJECTED');
      assertCheck(expired, 'timestamps', 'fail', 'SP_TIME_EXPIRED');
    });
  });
});

describe('node-saml check: both gates must read the same assertion', () => {
  /**
   * node-saml accepts, but says it read `consumed`: what a parser differential looks like from the
   * SP's side. The real node-saml runs first, so the SP's own facts are those of a genuine message.
   */
  function gateReading(
    t: TestSpCore,
    consumed: (real: { nameId: string | null; assertionId: string | null }) => NodeSamlVerdict['consumed'],
  ): void {
    const real = t.ctx.nodeSamlGate;
    t.ctx.nodeSamlGate = {
      async validate(input) {
        const verdict = await real.validate(input);
        assert.equal(verdict.accepted, true, verdict.error ?? '');
        return { ...verdict, consumed: consumed(verdict.consumed ?? { nameId: null, assertionId: null }) };
      },
      close: () => real.close(),
    };
  }

  const DISAGREEMENTS: [string, (real: { nameId: string | null; assertionId: string | null }) => NodeSamlVerdict['consumed']][] = [
    ['another NameID (an administrator)', (real) => ({ ...real, nameId: 'kate@contoso.com' })],
    ['another assertion ID', (real) => ({ ...real, assertionId: '_another' })],
    ['the NameID padded with U+00A0, which is no XML white space', (real) => ({ ...real, nameId: `${real.nameId}\u00A0` })],
    ['nothing it can name', () => null],
  ];

  for (const [name, consumed] of DISAGREEMENTS) {
    test(`node-saml accepting but reading ${name} is SP_NODE_SAML_DISAGREES, and nobody signs in`, async () => {
      await withCore({}, async (t) => {
        gateReading(t, consumed);
        const outcome = await post(t, t.respond());
        const result = assertRefusedBy(outcome, 'node-saml', 'SP_NODE_SAML_DISAGREES');
        assert.ok(result.expected?.includes('B.Simon@contoso.com'), result.expected);
        assert.equal(outcome.ok, false);
        assert.deepEqual(
          outcome.trace.checks.filter((c) => c.status === 'fail').map((c) => c.id),
          ['node-saml'],
          'every other check passed: the disagreement alone refuses it',
        );
      });
    });
  }

  test('node-saml reading the same assertion with XML white space around the NameID agrees', async () => {
    await withCore({}, async (t) => {
      gateReading(t, (real) => ({ ...real, nameId: `\n  ${real.nameId}\t` }));
      assertCheck(await post(t, t.respond()), 'node-saml', 'pass');
    });
  });
});
