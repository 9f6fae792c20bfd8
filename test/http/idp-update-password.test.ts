/**
 * "Update your password": the first sign-in with a temporary password asks for a new one before the
 * sign-in goes on. Refusals show the page again with a code on the field, nothing stored; a page
 * that nobody waits for is Entra's start-again page; nothing a browser sends gives a 5xx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { assignUserToApp, createUser } from '../../src/core/idp/admin.js';
import { ConsoleAgent, readInputValue } from '../_helpers/idp-console.js';
import {
  answerStaySignedIn,
  createTestIdp,
  KMSI_FORM,
  MFA_FORM,
  readTransactionId,
  startPasswordSignIn,
  type TestIdp,
} from '../_helpers/idp-harness.js';

const UPDATE_FORM = /<form method="POST" action="\/login\/update-password" id="update-password-form"/;
const TEMPORARY = 'Temp-0nly-Passw0rd';
const CHOSEN = 'N3w-Chosen-Passw0rd!';

type Agent = ReturnType<typeof request.agent>;

/** The error codes the page shows, with the field each sits under (from the error element's id). */
function readProblems(html: string): { field: string; code: string; aadsts: string | null }[] {
  return [
    ...html.matchAll(/<p id="(\w{1,40})Error" class="error" role="alert" data-error="([\w-]{1,40})"( data-aadsts="(\d{1,9})")?/g),
  ].map((m) => ({ field: m[1] ?? '', code: m[2] ?? '', aadsts: m[4] ?? null }));
}

function submitUpdate(agent: Agent, tx: string, fields: Record<string, string | string[]>) {
  return agent
    .post('/login/update-password')
    .type('form')
    .send({ tx, ...fields });
}

describe('mock Entra "Update your password" after a temporary password', () => {
  let idp: TestIdp;
  let n = 0;

  /** A user of contoso with a temporary password, assigned to the app; a fresh one for each test. */
  async function addTemporaryUser(authMethod: 'password' | 'multi-factor' = 'password'): Promise<string> {
    n += 1;
    const upn = `Temp.User${n}@contoso.com`;
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: upn,
      displayName: `Temp ${n}`,
      password: TEMPORARY,
      passwordIsTemporary: true,
      authMethod,
    });
    await assignUserToApp(idp.ctx, idp.tenantId, idp.appId, upn);
    return upn;
  }

  async function expectStillTemporary(upn: string): Promise<void> {
    const stored = await idp.ctx.stores.users.verifyPassword(idp.tenantId, upn, TEMPORARY);
    assert.ok(stored, 'the temporary password still signs in');
    assert.equal(stored.passwordIsTemporary, true, 'and is still temporary');
  }

  before(async () => {
    idp = await createTestIdp();
  });
  after(() => idp.close());

  test('the password page is followed by "Update your password", not "Stay signed in?"; nobody is signed in yet', async () => {
    const agent = request.agent(idp.app);
    const upn = await addTemporaryUser();
    const { page } = await startPasswordSignIn(agent, idp, { id: '_u1', upn, password: TEMPORARY });
    assert.equal(page.status, 200);
    assert.match(page.text, UPDATE_FORM);
    assert.doesNotMatch(page.text, KMSI_FORM);
    for (const name of ['currentPassword', 'newPassword', 'confirmNewPassword'])
      assert.match(page.text, new RegExp(`<input id="${name}" type="password" name="${name}"`));
    assert.match(page.text, /<input id="currentPassword"[^>]* autofocus/);
    assert.deepEqual(readProblems(page.text), []);
    const portal = await agent.get('/myapps');
    assert.match(portal.text, /name="loginfmt"/, 'My Apps still asks who is signing in');
  });

  test('each refusal names its field with a code; nothing is stored', async () => {
    const agent = request.agent(idp.app);
    const upn = await addTemporaryUser();
    const { tx } = await startPasswordSignIn(agent, idp, { id: '_u2', upn, password: TEMPORARY });
    const cases: [Record<string, string | string[]>, { field: string; code: string; aadsts: string | null }][] = [
      [
        { currentPassword: 'Wrong-Passw0rd!', newPassword: CHOSEN, confirmNewPassword: CHOSEN },
        { field: 'currentPassword', code: 'wrong-current-password', aadsts: '50126' },
      ],
      [
        { currentPassword: TEMPORARY, newPassword: 'short', confirmNewPassword: 'short' },
        { field: 'newPassword', code: 'weak-password', aadsts: null },
      ],
      [
        { currentPassword: TEMPORARY, newPassword: 'alllowercaseletters', confirmNewPassword: 'alllowercaseletters' },
        { field: 'newPassword', code: 'weak-password', aadsts: null },
      ],
      [
        { currentPassword: TEMPORARY, newPassword: `Aa1!${'x'.repeat(300)}`, confirmNewPassword: `Aa1!${'x'.repeat(300)}` },
        { field: 'newPassword', code: 'weak-password', aadsts: null },
      ],
      [
        { currentPassword: TEMPORARY, newPassword: CHOSEN, confirmNewPassword: `${CHOSEN}x` },
        { field: 'confirmNewPassword', code: 'password-mismatch', aadsts: null },
      ],
      [
        { currentPassword: TEMPORARY, newPassword: TEMPORARY, confirmNewPassword: TEMPORARY },
        { field: 'newPassword', code: 'password-reused', aadsts: null },
      ],
      // Repeated fields arrive as lists: read as nothing typed, refused like any wrong value.
      [
        { currentPassword: [TEMPORARY, TEMPORARY], newPassword: CHOSEN, confirmNewPassword: CHOSEN },
        { field: 'currentPassword', code: 'wrong-current-password', aadsts: '50126' },
      ],
      [{}, { field: 'currentPassword', code: 'wrong-current-password', aadsts: '50126' }],
    ];
    for (const [fields, expected] of cases) {
      const res = await submitUpdate(agent, tx, fields);
      assert.equal(res.status, 200, JSON.stringify(fields));
      assert.match(res.text, UPDATE_FORM);
      assert.deepEqual(readProblems(res.text), [expected], JSON.stringify(fields));
      assert.match(
        res.text,
        new RegExp(`<input id="${expected.field}"[^>]* autofocus[^>]* aria-describedby="${expected.field}Error" aria-invalid="true"`),
      );
      await expectStillTemporary(upn);
    }
  });

  test('a good new password is stored, the flag cleared, and the sign-in goes on to "Stay signed in?" and the SP', async () => {
    const agent = request.agent(idp.app);
    const upn = await addTemporaryUser();
    const { tx } = await startPasswordSignIn(agent, idp, { id: '_u3', upn, password: TEMPORARY });
    const kmsi = await submitUpdate(agent, tx, { currentPassword: TEMPORARY, newPassword: CHOSEN, confirmNewPassword: CHOSEN });
    assert.match(kmsi.text, KMSI_FORM);
    assert.equal(readTransactionId(kmsi.text), tx);
    const done = await answerStaySignedIn(agent, kmsi);
    assert.match(done.text, /name="hiddenform"/);
    assert.match(done.text, /name="SAMLResponse"/);

    assert.equal(await idp.ctx.stores.users.verifyPassword(idp.tenantId, upn, TEMPORARY), null, 'the temporary password is gone');
    const stored = await idp.ctx.stores.users.verifyPassword(idp.tenantId, upn, CHOSEN);
    assert.equal(stored?.passwordIsTemporary, undefined);

    // The page cannot be sent twice: nobody waits for it any more.
    const replay = await submitUpdate(agent, tx, {
      currentPassword: CHOSEN,
      newPassword: 'An0ther-Passw0rd!',
      confirmNewPassword: 'An0ther-Passw0rd!',
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.headers['x-idp-error'], 'IDP_SIGN_IN_EXPIRED');
    assert.ok(await idp.ctx.stores.users.verifyPassword(idp.tenantId, upn, CHOSEN), 'the replay changed nothing');

    // The next sign-in with the new password is an ordinary one.
    const next = await startPasswordSignIn(request.agent(idp.app), idp, { id: '_u4', upn, password: CHOSEN });
    assert.match(next.page.text, KMSI_FORM);
  });

  test('a multi-factor user updates the password first, then approves the sign-in', async () => {
    const agent = request.agent(idp.app);
    const upn = await addTemporaryUser('multi-factor');
    const { tx } = await startPasswordSignIn(agent, idp, { id: '_u5', upn, password: TEMPORARY });
    const mfa = await submitUpdate(agent, tx, { currentPassword: TEMPORARY, newPassword: CHOSEN, confirmNewPassword: CHOSEN });
    assert.match(mfa.text, MFA_FORM);
    const approved = await agent.post('/login/mfa').type('form').send({ tx, action: 'approve' });
    assert.match(approved.text, KMSI_FORM);
  });

  test('without the password first, for another transaction or another browser: the start-again page, nothing stored', async () => {
    const upn = await addTemporaryUser();
    const agent = request.agent(idp.app);
    const { tx } = await startPasswordSignIn(agent, idp, { id: '_u6', upn, password: TEMPORARY });
    const fields = { currentPassword: TEMPORARY, newPassword: CHOSEN, confirmNewPassword: CHOSEN };
    for (const [who, txValue] of [
      [agent, 'not-a-transaction'],
      [request.agent(idp.app), tx],
    ] as const) {
      const res = await submitUpdate(who, txValue, fields);
      assert.equal(res.status, 400);
      assert.equal(res.headers['x-idp-error'], 'IDP_SIGN_IN_EXPIRED');
    }
    // A transaction that only reached "Enter password" has nobody waiting to update.
    const other = request.agent(idp.app);
    const started = await startPasswordSignIn(other, idp, { id: '_u7', upn, password: 'Wrong-Passw0rd!' });
    const early = await submitUpdate(other, started.tx, fields);
    assert.equal(early.headers['x-idp-error'], 'IDP_SIGN_IN_EXPIRED');
    await expectStillTemporary(upn);
  });

  test('seed users are not temporary; a user created in the console with an auto-generated password is', async () => {
    const simon = await idp.ctx.stores.users.findByUpn(idp.tenantId, idp.user.userPrincipalName);
    assert.equal(simon?.passwordIsTemporary, undefined);
    const c = new ConsoleAgent(idp.app);
    const path = `/admin/${idp.tenantId}/users/new`;
    await c.open(path);
    const form = { upnDomain: 'contoso.com', accountEnabled: 'yes', authMethod: 'password', step: 'create' };
    const auto = await c.submit(path, { ...form, upnLocal: 'Auto.User', displayName: 'Auto', autoPassword: 'yes' });
    assert.equal(auto.status, 201);
    const generated = readInputValue(auto.text, 'generatedPassword') ?? '';
    assert.equal((await idp.ctx.stores.users.verifyPassword(idp.tenantId, 'auto.user@contoso.com', generated))?.passwordIsTemporary, true);
    const typed = await c.submit(path, { ...form, upnLocal: 'Typed.User', displayName: 'Typed', autoPassword: 'no', password: CHOSEN });
    assert.equal(typed.status, 201);
    assert.equal((await idp.ctx.stores.users.findByUpn(idp.tenantId, 'typed.user@contoso.com'))?.passwordIsTemporary, undefined);
  });
});
