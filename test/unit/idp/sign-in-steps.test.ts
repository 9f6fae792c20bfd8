import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IdpUser } from '../../../src/core/idp/directory.js';
import {
  decideSignInStep,
  findPasswordUpdate,
  findSignedInUser,
  type PasswordUpdateResult,
  type PendingStep,
  type PendingTransaction,
  readStepTenant,
  type SignInEvent,
  type SignInSession,
  type SignInStep,
} from '../../../src/core/idp/sign-in-steps.js';
import type { PendingSignIn, SignedInUser } from '../../../src/core/idp/sso.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '0b5c3f2e-0000-4000-8000-000000000001';
const AT = '2025-03-04T05:06:07.000Z';
const TX = 'tx-1';

const signIn: PendingSignIn = {
  kind: 'sp',
  tenantId: TENANT,
  appId: 'app-1',
  requestId: '_req1',
  acsUrl: 'https://eu-api.mimecast.com/login/saml',
  audience: 'https://eu-api.mimecast.com/sso/CUK123',
  relayState: null,
  nameIdPolicyFormat: null,
  requestedAuthnContext: null,
  forceAuthn: false,
  isPassive: false,
};

const sso = (overrides: Partial<PendingSignIn> = {}): PendingStep => ({ target: 'sso', signIn: { ...signIn, ...overrides } });
const MYAPPS: PendingStep = { target: 'myapps' };

const simon: SignedInUser = {
  tenantId: TENANT,
  objectId: 'oid-simon',
  userPrincipalName: 'B.Simon@contoso.com',
  authMethod: 'password',
  authnInstant: '2025-03-04T05:00:00.000Z',
};

function directoryUser(overrides: Partial<IdpUser> = {}): IdpUser {
  return {
    tenantId: TENANT,
    objectId: 'oid-simon',
    userPrincipalName: 'B.Simon@contoso.com',
    displayName: 'B. Simon',
    mail: null,
    authMethod: 'password',
    createdAt: AT,
    ...overrides,
  };
}

function session(overrides: Partial<SignInSession> = {}): SignInSession {
  return { user: null, secondFactor: null, passwordUpdate: null, freshSignIn: false, kmsiHidden: false, ...overrides };
}

const pendingOf = (step: PendingStep): PendingTransaction => ({ tx: TX, step });
const start = (s: SignInSession, step: PendingStep): SignInStep => decideSignInStep(s, null, { kind: 'start', step });

function errorCode(step: SignInStep): string | null {
  return step.decision.kind === 'error-page' ? step.decision.error.code : null;
}

describe('decideSignInStep: a new sign-in', () => {
  test('nobody signed in: "Sign in" is asked and the step waits under a new transaction', () => {
    assert.deepEqual(start(session(), sso()), {
      decision: { kind: 'ask-credentials', prompt: 'username', loginfmt: '', problem: null },
      writes: [{ kind: 'store-pending', step: sso() }],
    });
    assert.deepEqual(start(session(), MYAPPS).writes, [{ kind: 'store-pending', step: MYAPPS }]);
  });

  test("signed in to the request's tenant: answered at once for that user, nothing kept", () => {
    assert.deepEqual(start(session({ user: simon }), sso()), { decision: { kind: 'post', signIn, user: simon }, writes: [] });
  });

  test('signed in to another tenant only: that sign-in does not count, credentials are asked', () => {
    const step = start(session({ user: { ...simon, tenantId: OTHER_TENANT } }), sso());
    assert.equal(step.decision.kind, 'ask-credentials');
    assert.deepEqual(step.writes, [{ kind: 'store-pending', step: sso() }]);
  });

  test('My Apps: anyone signed in, in any tenant, goes to the portal', () => {
    assert.deepEqual(start(session({ user: { ...simon, tenantId: OTHER_TENANT } }), MYAPPS), {
      decision: { kind: 'redirect', location: '/myapps' },
      writes: [],
    });
  });

  test('ForceAuthn asks for credentials even with a sign-in, and the step keeps ForceAuthn', () => {
    const step = start(session({ user: simon }), sso({ forceAuthn: true }));
    assert.deepEqual(step.decision, { kind: 'ask-credentials', prompt: 'username', loginfmt: '', problem: null });
    assert.deepEqual(step.writes, [{ kind: 'store-pending', step: sso({ forceAuthn: true }) }]);
  });

  test('IsPassive without a sign-in: NoPassive goes back to the SP, nothing is kept', () => {
    assert.deepEqual(start(session(), sso({ isPassive: true })), {
      decision: { kind: 'post-no-passive', signIn: { ...signIn, isPassive: true } },
      writes: [],
    });
    assert.equal(start(session({ user: { ...simon, tenantId: OTHER_TENANT } }), sso({ isPassive: true })).decision.kind, 'post-no-passive');
  });

  test('IsPassive with a sign-in is answered like any other request', () => {
    assert.equal(start(session({ user: simon }), sso({ isPassive: true })).decision.kind, 'post');
  });

  test('"Sign in as someone else": the next SSO sign-in asks for credentials once, as ForceAuthn', () => {
    const first = start(session({ user: simon, freshSignIn: true }), sso());
    assert.deepEqual(first.decision, { kind: 'ask-credentials', prompt: 'username', loginfmt: '', problem: null });
    assert.deepEqual(first.writes, [{ kind: 'clear-fresh-sign-in' }, { kind: 'store-pending', step: sso({ forceAuthn: true }) }]);
    // The flag is cleared by that write: the sign-in after it is answered from the session again.
    assert.equal(start(session({ user: simon, freshSignIn: false }), sso()).decision.kind, 'post');
  });

  test('"Sign in as someone else" is spent even when IsPassive answers NoPassive', () => {
    assert.deepEqual(start(session({ freshSignIn: true }), sso({ isPassive: true })).writes, [{ kind: 'clear-fresh-sign-in' }]);
  });

  test('My Apps leaves "Sign in as someone else" for the SSO sign-in it was meant for', () => {
    assert.deepEqual(start(session({ user: simon, freshSignIn: true }), MYAPPS), {
      decision: { kind: 'redirect', location: '/myapps' },
      writes: [],
    });
  });
});

describe('decideSignInStep: an answer for a transaction the browser does not hold', () => {
  const events: SignInEvent[] = [
    { kind: 'username', loginfmt: 'B.Simon@contoso.com', user: directoryUser() },
    { kind: 'password', loginfmt: 'B.Simon@contoso.com', user: directoryUser(), at: AT },
    { kind: 'second-factor', approved: true, at: AT },
    { kind: 'stay-signed-in', staySignedIn: true, dontShowAgain: true },
    { kind: 'password-update', result: { ok: true } },
  ];
  for (const event of events) {
    test(`${event.kind}: Entra's start-again page, nothing written`, () => {
      const step = decideSignInStep(session({ user: simon, secondFactor: { tx: TX, user: simon } }), null, event);
      assert.equal(errorCode(step), 'IDP_SIGN_IN_EXPIRED');
      assert.deepEqual(step.writes, []);
    });
  }
});

describe('decideSignInStep: "Sign in" (the username)', () => {
  test('an unknown user: "Sign in" again with what was typed and the unknown-user problem', () => {
    const step = decideSignInStep(session(), pendingOf(sso()), { kind: 'username', loginfmt: 'nobody@contoso.com', user: null });
    assert.deepEqual(step, {
      decision: { kind: 'ask-credentials', prompt: 'username', loginfmt: 'nobody@contoso.com', problem: 'unknown-user' },
      writes: [],
    });
  });

  test('a known user: "Enter password" for the UPN as the directory spells it', () => {
    const step = decideSignInStep(session(), pendingOf(sso()), {
      kind: 'username',
      loginfmt: 'b.simon@CONTOSO.com',
      user: directoryUser(),
    });
    assert.deepEqual(step, {
      decision: { kind: 'ask-credentials', prompt: 'password', loginfmt: 'B.Simon@contoso.com', problem: null },
      writes: [],
    });
  });
});

describe('decideSignInStep: "Enter password"', () => {
  const password = (user: IdpUser | null, loginfmt = 'b.simon@contoso.com'): SignInEvent => ({ kind: 'password', loginfmt, user, at: AT });
  const who: SignedInUser = { ...simon, authnInstant: AT };

  test('a wrong password (or unknown user): the password page again, with what was typed', () => {
    assert.deepEqual(decideSignInStep(session(), pendingOf(sso()), password(null)), {
      decision: { kind: 'ask-credentials', prompt: 'password', loginfmt: 'b.simon@contoso.com', problem: 'wrong-password' },
      writes: [],
    });
  });

  test('"Account enabled" No: refused after the right password, nobody signed in', () => {
    const step = decideSignInStep(session(), pendingOf(sso()), password(directoryUser({ accountEnabled: false })));
    assert.deepEqual(step, {
      decision: { kind: 'ask-credentials', prompt: 'password', loginfmt: 'b.simon@contoso.com', problem: 'account-disabled' },
      writes: [],
    });
  });

  test('a password user is signed in at the password, the ForceAuthn step is satisfied, then "Stay signed in?"', () => {
    const step = decideSignInStep(session(), pendingOf(sso({ forceAuthn: true })), password(directoryUser()));
    assert.deepEqual(step, {
      decision: { kind: 'ask-stay-signed-in', loginfmt: 'B.Simon@contoso.com' },
      writes: [
        { kind: 'sign-in', user: who, keepParticipants: false },
        { kind: 'replace-pending', tx: TX, step: sso({ forceAuthn: false }) },
      ],
    });
  });

  test('the same user signing in again keeps the session participants; someone else does not', () => {
    const again = decideSignInStep(session({ user: simon }), pendingOf(sso({ forceAuthn: true })), password(directoryUser()));
    assert.deepEqual(again.writes[0], { kind: 'sign-in', user: who, keepParticipants: true });
    const other = decideSignInStep(
      session({ user: { ...simon, objectId: 'oid-other' } }),
      pendingOf(sso({ forceAuthn: true })),
      password(directoryUser()),
    );
    assert.deepEqual(other.writes[0], { kind: 'sign-in', user: who, keepParticipants: false });
  });

  test('a multi-factor user before approval: the second factor is asked and nobody is signed in yet', () => {
    const mfa = directoryUser({ objectId: 'oid-adele', userPrincipalName: 'Adele.Vance@contoso.com', authMethod: 'multi-factor' });
    const step = decideSignInStep(session(), pendingOf(sso()), password(mfa, 'adele.vance@contoso.com'));
    assert.deepEqual(step.decision, {
      kind: 'ask-credentials',
      prompt: 'second-factor',
      loginfmt: 'Adele.Vance@contoso.com',
      problem: null,
    });
    assert.deepEqual(step.writes, [
      {
        kind: 'store-second-factor',
        tx: TX,
        user: {
          tenantId: TENANT,
          objectId: 'oid-adele',
          userPrincipalName: 'Adele.Vance@contoso.com',
          authMethod: 'multi-factor',
          authnInstant: AT,
        },
      },
    ]);
    assert.ok(!step.writes.some((w) => w.kind === 'sign-in'));
  });

  test('"Don\'t show this again" earlier: the step is answered straight after the password', () => {
    const step = decideSignInStep(session({ kmsiHidden: true }), pendingOf(sso({ forceAuthn: true })), password(directoryUser()));
    assert.deepEqual(step, {
      decision: { kind: 'post', signIn, user: who },
      writes: [
        { kind: 'sign-in', user: who, keepParticipants: false },
        { kind: 'replace-pending', tx: TX, step: sso() },
        { kind: 'drop-pending', tx: TX },
      ],
    });
  });

  test('"Don\'t show this again" and a My Apps sign-in: to the portal', () => {
    const step = decideSignInStep(session({ kmsiHidden: true }), pendingOf(MYAPPS), password(directoryUser()));
    assert.deepEqual(step.decision, { kind: 'redirect', location: '/myapps' });
    assert.deepEqual(step.writes.at(-1), { kind: 'drop-pending', tx: TX });
  });
});

describe('decideSignInStep: "Update your password" (a temporary password)', () => {
  const temporary = directoryUser({ passwordIsTemporary: true });
  const who: SignedInUser = { ...simon, authnInstant: AT };
  const waiting = session({ passwordUpdate: { tx: TX, user: who } });
  const update = (result: PasswordUpdateResult | null): SignInEvent => ({ kind: 'password-update', result });

  test('the temporary password proves the user, who is asked to update it and not signed in yet', () => {
    const event: SignInEvent = { kind: 'password', loginfmt: 'b.simon@contoso.com', user: temporary, at: AT };
    assert.deepEqual(decideSignInStep(session({ kmsiHidden: true }), pendingOf(sso()), event), {
      decision: { kind: 'ask-password-update', loginfmt: 'B.Simon@contoso.com', problem: null },
      writes: [{ kind: 'store-password-update', tx: TX, user: who }],
    });
  });

  test('a disabled account is refused before the update is asked', () => {
    const event: SignInEvent = { kind: 'password', loginfmt: 'b.simon@contoso.com', user: { ...temporary, accountEnabled: false }, at: AT };
    const step = decideSignInStep(session(), pendingOf(sso()), event);
    assert.deepEqual([step.decision.kind, step.writes], ['ask-credentials', []]);
  });

  test('a refusal shows the page again with its problem, nothing written', () => {
    for (const problem of ['wrong-current-password', 'weak-password', 'password-mismatch', 'password-reused'] as const) {
      assert.deepEqual(decideSignInStep(waiting, pendingOf(sso()), update({ ok: false, problem })), {
        decision: { kind: 'ask-password-update', loginfmt: 'B.Simon@contoso.com', problem },
        writes: [],
      });
    }
  });

  test('updated: the wait ends, the user is signed in, then "Stay signed in?"', () => {
    assert.deepEqual(decideSignInStep(waiting, pendingOf(sso()), update({ ok: true })), {
      decision: { kind: 'ask-stay-signed-in', loginfmt: 'B.Simon@contoso.com' },
      writes: [
        { kind: 'drop-password-update' },
        { kind: 'sign-in', user: who, keepParticipants: false },
        { kind: 'replace-pending', tx: TX, step: sso() },
      ],
    });
  });

  test('updated by a multi-factor user: the second factor comes next, still not signed in', () => {
    const adele = { ...who, objectId: 'oid-adele', userPrincipalName: 'Adele.Vance@contoso.com', authMethod: 'multi-factor' as const };
    const step = decideSignInStep(session({ passwordUpdate: { tx: TX, user: adele } }), pendingOf(sso()), update({ ok: true }));
    assert.deepEqual(step.decision, {
      kind: 'ask-credentials',
      prompt: 'second-factor',
      loginfmt: 'Adele.Vance@contoso.com',
      problem: null,
    });
    assert.deepEqual(step.writes, [{ kind: 'drop-password-update' }, { kind: 'store-second-factor', tx: TX, user: adele }]);
  });

  test('nobody waiting in this transaction, or nothing left to update: the start-again page', () => {
    const other = decideSignInStep(session({ passwordUpdate: { tx: 'tx-other', user: who } }), pendingOf(sso()), update({ ok: true }));
    assert.deepEqual([errorCode(other), other.writes], ['IDP_SIGN_IN_EXPIRED', []]);
    const gone = decideSignInStep(waiting, pendingOf(sso()), update(null));
    assert.deepEqual([errorCode(gone), gone.writes], ['IDP_SIGN_IN_EXPIRED', [{ kind: 'drop-password-update' }]]);
  });

  test('findPasswordUpdate names the waiting user for its own transaction only', () => {
    assert.deepEqual(findPasswordUpdate(waiting, TX), who);
    assert.equal(findPasswordUpdate(waiting, 'tx-other'), null);
    assert.equal(findPasswordUpdate(session(), TX), null);
  });
});

describe('decideSignInStep: "Approve sign in request"', () => {
  const adele: SignedInUser = {
    tenantId: TENANT,
    objectId: 'oid-adele',
    userPrincipalName: 'Adele.Vance@contoso.com',
    authMethod: 'multi-factor',
    authnInstant: '2025-03-04T05:00:00.000Z',
  };
  const waiting = session({ secondFactor: { tx: TX, user: adele } });
  const answer = (approved: boolean): SignInEvent => ({ kind: 'second-factor', approved, at: AT });

  test('nothing waiting (a password user, or the prompt already answered): the start-again page', () => {
    const step = decideSignInStep(session(), pendingOf(sso()), answer(true));
    assert.deepEqual([errorCode(step), step.writes], ['IDP_SIGN_IN_EXPIRED', []]);
  });

  test("a prompt waiting in another transaction is not this one's, and stays waiting", () => {
    const step = decideSignInStep(session({ secondFactor: { tx: 'tx-other', user: adele } }), pendingOf(sso()), answer(true));
    assert.deepEqual([errorCode(step), step.writes], ['IDP_SIGN_IN_EXPIRED', []]);
  });

  test('Deny: AADSTS500121, the prompt is gone and nobody is signed in', () => {
    const step = decideSignInStep(waiting, pendingOf(sso()), answer(false));
    assert.deepEqual([errorCode(step), step.writes], ['IDP_AADSTS500121', [{ kind: 'drop-second-factor' }]]);
  });

  test('Approve: signed in with the approval time as AuthnInstant, then "Stay signed in?"', () => {
    const step = decideSignInStep(waiting, pendingOf(sso()), answer(true));
    assert.deepEqual(step, {
      decision: { kind: 'ask-stay-signed-in', loginfmt: 'Adele.Vance@contoso.com' },
      writes: [
        { kind: 'drop-second-factor' },
        { kind: 'sign-in', user: { ...adele, authnInstant: AT }, keepParticipants: false },
        { kind: 'replace-pending', tx: TX, step: sso() },
      ],
    });
  });

  test('Approve with "Don\'t show this again": the step is answered for the user who approved', () => {
    const step = decideSignInStep({ ...waiting, kmsiHidden: true }, pendingOf(sso()), answer(true));
    assert.deepEqual(step.decision, { kind: 'post', signIn, user: { ...adele, authnInstant: AT } });
  });
});

describe('decideSignInStep: "Stay signed in?"', () => {
  const kmsi = (staySignedIn: boolean, dontShowAgain = false): SignInEvent => ({ kind: 'stay-signed-in', staySignedIn, dontShowAgain });

  test('Yes: the session is made persistent, then the step is answered', () => {
    assert.deepEqual(decideSignInStep(session({ user: simon }), pendingOf(sso()), kmsi(true)), {
      decision: { kind: 'post', signIn, user: simon },
      writes: [{ kind: 'stay-signed-in' }, { kind: 'drop-pending', tx: TX }],
    });
  });

  test('No: only the step is answered', () => {
    assert.deepEqual(decideSignInStep(session({ user: simon }), pendingOf(sso()), kmsi(false)).writes, [{ kind: 'drop-pending', tx: TX }]);
  });

  test("Don't show this again is remembered by the browser", () => {
    assert.deepEqual(decideSignInStep(session({ user: simon }), pendingOf(sso()), kmsi(false, true)).writes, [
      { kind: 'hide-kmsi' },
      { kind: 'drop-pending', tx: TX },
    ]);
  });

  test('answered with nobody signed in (the second factor skipped): nothing kept, "Sign in" again', () => {
    const step = decideSignInStep(session({ secondFactor: { tx: TX, user: simon } }), pendingOf(sso()), kmsi(true));
    assert.deepEqual(step, { decision: { kind: 'ask-credentials', prompt: 'username', loginfmt: '', problem: null }, writes: [] });
  });

  test('a step still carrying ForceAuthn is not answered from the session', () => {
    assert.equal(
      decideSignInStep(session({ user: simon }), pendingOf(sso({ forceAuthn: true })), kmsi(false)).decision.kind,
      'ask-credentials',
    );
  });

  test('a My Apps sign-in goes to the portal', () => {
    assert.deepEqual(decideSignInStep(session({ user: simon }), pendingOf(MYAPPS), kmsi(false)).decision, {
      kind: 'redirect',
      location: '/myapps',
    });
  });
});

describe('sign-in helpers', () => {
  test("findSignedInUser: the session's user for their tenant or for any tenant, else null", () => {
    assert.equal(findSignedInUser(simon, TENANT), simon);
    assert.equal(findSignedInUser(simon, null), simon);
    assert.equal(findSignedInUser(simon, OTHER_TENANT), null);
    assert.equal(findSignedInUser(null, null), null);
  });

  test('readStepTenant: an SSO step names its tenant, My Apps none', () => {
    assert.equal(readStepTenant(sso()), TENANT);
    assert.equal(readStepTenant(MYAPPS), null);
  });
});

describe('decideSignInStep: a passwordless stand-in chosen on "Sign in"', () => {
  const event = (user: IdpUser | null, method: 'windows-hello' | 'security-key' | 'guest-otp' = 'windows-hello'): SignInEvent => ({
    kind: 'passwordless',
    loginfmt: 'B.Simon@contoso.com',
    user,
    method,
    at: AT,
  });

  test("signs the user in with the chosen method, whatever the user's own, and asks no password or push", () => {
    const mfaUser = directoryUser({ authMethod: 'multi-factor' });
    const step = decideSignInStep(session(), pendingOf(sso()), event(mfaUser));
    assert.equal(step.decision.kind, 'ask-stay-signed-in');
    const signedIn = step.writes.find((w) => w.kind === 'sign-in');
    assert.ok(signedIn && signedIn.kind === 'sign-in');
    assert.equal(signedIn.user.authMethod, 'windows-hello');
    assert.equal(signedIn.user.authnInstant, AT);
    assert.equal(
      step.writes.some((w) => w.kind === 'store-second-factor'),
      false,
    );
  });

  test('an unknown user or a disabled account is told on "Sign in"', () => {
    const unknown = decideSignInStep(session(), pendingOf(sso()), event(null));
    assert.deepEqual(unknown.decision, {
      kind: 'ask-credentials',
      prompt: 'username',
      loginfmt: 'B.Simon@contoso.com',
      problem: 'unknown-user',
    });
    const disabled = decideSignInStep(session(), pendingOf(sso()), event(directoryUser({ accountEnabled: false })));
    assert.equal(disabled.decision.kind === 'ask-credentials' && disabled.decision.problem, 'account-disabled');
    assert.deepEqual(disabled.writes, []);
  });
});
