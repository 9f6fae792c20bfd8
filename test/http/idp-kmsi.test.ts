import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import {
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_ACS_URL,
  DEFAULT_IDENTIFIER,
  KMSI_FORM,
  startPasswordSignIn,
  type TestIdp,
} from '../_helpers/idp-harness.js';

function readSetCookie(res: { headers: Record<string, unknown> }, name: string): string | null {
  return ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith(`${name}=`)) ?? null;
}

/** The page after B.Simon's password on a new SP-initiated sign-in. */
async function passwordStep(agent: ReturnType<typeof request.agent>, idp: TestIdp, id: string, forceAuthn = false) {
  return (await startPasswordSignIn(agent, idp, { id, forceAuthn })).page;
}

describe('mock Entra "Stay signed in?"', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp({ spAcsUrl: DEFAULT_ACS_URL, identifier: DEFAULT_IDENTIFIER });
  });
  after(() => idp.close());

  test('follows a correct password; No answers the SP and keeps the session to the browser session', async () => {
    const agent = request.agent(idp.app);
    const kmsi = await passwordStep(agent, idp, '_k1');
    assert.equal(kmsi.status, 200);
    assert.match(kmsi.text, KMSI_FORM);
    assert.match(kmsi.text, /<h1>Stay signed in\?<\/h1>/);
    assert.match(kmsi.text, /name="DontShowAgain"/);
    const done = await answerStaySignedIn(agent, kmsi);
    assert.match(done.text, /name="hiddenform"/);
    const cookie = readSetCookie(kmsi, 'ESTSAUTH');
    assert.ok(cookie, 'signed in at the password');
    assert.doesNotMatch(cookie, /Expires=/i, 'a browser-session cookie');
  });

  test('Yes makes the IdP session cookie last 90 days', async () => {
    const agent = request.agent(idp.app);
    const yes = await answerStaySignedIn(agent, await passwordStep(agent, idp, '_k2'), { yes: true });
    assert.match(yes.text, /name="hiddenform"/);
    const cookie = readSetCookie(yes as unknown as { headers: Record<string, unknown> }, 'ESTSAUTH');
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie ?? '')?.[1] ?? '');
    assert.ok(Math.abs(expires - Date.now() - 90 * 86_400_000) < 86_400_000, `expires ${new Date(expires).toISOString()}`);
  });

  test("Don't show this again: the next password in this browser goes straight back to the SP", async () => {
    const agent = request.agent(idp.app);
    await answerStaySignedIn(agent, await passwordStep(agent, idp, '_k3'), { dontShowAgain: true });
    // ForceAuthn asks for the password again, and this time no question follows it.
    const again = await passwordStep(agent, idp, '_k4', true);
    assert.doesNotMatch(again.text, KMSI_FORM);
    assert.match(again.text, /name="hiddenform"/);
  });

  test('an answer for a transaction this browser does not hold shows the start-again page', async () => {
    const agent = request.agent(idp.app);
    const stale = await agent.post('/kmsi').type('form').send({ tx: 'not-a-transaction', LoginOptions: '1' });
    assert.match(stale.text, /data-code="IDP_SIGN_IN_EXPIRED"/);
    assert.doesNotMatch(stale.text, /name="hiddenform"/);
  });
});
