import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertCheck, assertRefused, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { ACCOUNT, NOW } from '../../../_helpers/sp-core.js';

const UNSAFE = [
  'https://evil.example/',
  '//evil',
  '/\\evil',
  '\\\\evil',
  'javascript:alert(1)',
  'portal',
  '/portal\nSet-Cookie: x=y',
  `/${'a'.repeat(600)}`,
];

describe('relay-state check', () => {
  test('no RelayState: no check, and a user without a role lands on the Personal Portal', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assert.equal(
        outcome.trace.checks.some((c) => c.id === 'relay-state'),
        false,
      );
      assert.equal(assertSignedIn(outcome).landing, '/portal');
      assert.equal(outcome.trace.summary.landing, '/portal');
    });
  });

  test('a same-origin path is followed as the landing page', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond(), '/portal/messages?folder=inbox');
      assertCheck(outcome, 'relay-state', 'pass');
      assert.equal(assertSignedIn(outcome).landing, '/portal/messages?folder=inbox');
    });
  });

  for (const relayState of UNSAFE) {
    test(`${JSON.stringify(relayState.slice(0, 40))} is RELAY_STATE_UNSAFE (warn) and the landing falls back to /portal`, async () => {
      await withCore({}, async (t) => {
        const outcome = await post(t, t.respond(), relayState);
        assertCheck(outcome, 'relay-state', 'warn', 'RELAY_STATE_UNSAFE');
        assert.equal(assertSignedIn(outcome).landing, '/portal');
      });
    });
  }

  test('an administrator (Super Administrator) lands on the Administration Console', async () => {
    await withCore({}, async (t) => {
      await t.stores.directory.create(
        {
          accountCode: ACCOUNT.code,
          email: 'admin@contoso.com',
          globalName: 'Admin',
          forceChangeAtLogin: false,
          roles: ['Super Administrator'],
          createdAt: NOW.toISOString(),
        },
        null,
      );
      const outcome = await post(t, t.respond({ email: 'admin@contoso.com' }));
      const session = assertSignedIn(outcome);
      assert.equal(session.isAdministrator, true);
      assert.equal(session.landing, '/administration');
    });
  });

  test('an administrator with an unsafe RelayState still lands on the Administration Console', async () => {
    await withCore({}, async (t) => {
      await t.stores.directory.create(
        {
          accountCode: ACCOUNT.code,
          email: 'admin@contoso.com',
          globalName: 'Admin',
          forceChangeAtLogin: false,
          roles: ['Full Administrator'],
          createdAt: NOW.toISOString(),
        },
        null,
      );
      const outcome = await post(t, t.respond({ email: 'admin@contoso.com' }), 'https://evil.example/');
      assertCheck(outcome, 'relay-state', 'warn', 'RELAY_STATE_UNSAFE');
      assert.equal(assertSignedIn(outcome).landing, '/administration');
    });
  });

  test('a safe RelayState on a refused response is still reported, but there is no session', async () => {
    await withCore({ profile: { allowSingleSignOn: false } }, async (t) => {
      const outcome = await post(t, t.respond(), '/portal');
      assertCheck(outcome, 'relay-state', 'pass');
      assertRefused(outcome);
      assert.equal(outcome.trace.relayState, '/portal');
    });
  });
});
