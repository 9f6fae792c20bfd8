import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createUser, updateAppSettings } from '../../src/core/idp/admin.js';
import type { SignInLogEntry } from '../../src/core/idp/sign-in-log.js';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { SqliteSignInLogStore } from '../../src/store/idp/sqlite-sign-in-log.store.js';
import {
  answerSecondFactor,
  answerStaySignedIn,
  createTestIdp,
  DEFAULT_IDENTIFIER,
  startPasswordSignIn,
  type TestIdp,
} from '../_helpers/idp-harness.js';

function readField(html: string, field: string): string {
  return new RegExp(`data-field="${field}">([^<]*)<`).exec(html)?.[1] ?? '';
}

async function readLogs(idp: TestIdp): Promise<SignInLogEntry[]> {
  const res = await request(idp.app).get(`/api/tenants/${idp.tenantId}/sign-in-logs`).set('accept', 'application/json');
  assert.equal(res.status, 200);
  return res.body as SignInLogEntry[];
}

/** The error page's Request Id and Correlation Id are the newest entry's. */
async function assertPageMatchesNewest(idp: TestIdp, html: string): Promise<SignInLogEntry> {
  const [newest] = await readLogs(idp);
  assert.ok(newest);
  assert.equal(readField(html, 'request-id'), newest.requestId);
  assert.equal(readField(html, 'correlation-id'), newest.correlationId);
  assert.equal(readField(html, 'timestamp'), newest.createdDateTime);
  return newest;
}

describe('mock Entra sign-in logs', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await createTestIdp();
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Unassigned@contoso.com',
      password: 'Test-only-Passw0rd!',
      displayName: 'Unassigned',
    });
    await createUser(idp.ctx, idp.tenantId, {
      userPrincipalName: 'Mfa@contoso.com',
      password: 'Test-only-Passw0rd!',
      displayName: 'Mfa',
      authMethod: 'multi-factor',
    });
    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { assignmentRequired: true });
  });
  after(() => idp.close());

  test('a wrong password is a Failure with 50126; a good one is a Success with the method, newest first', async () => {
    const agent = request.agent(idp.app);
    await startPasswordSignIn(agent, idp, { id: '_l1', password: 'wrong' });
    const first = (await readLogs(idp))[0];
    assert.equal(first?.status, 'Failure');
    assert.equal(first?.errorCode, 50126);
    assert.equal(first?.code, 'IDP_BAD_CREDENTIALS');
    assert.equal(first?.userId, idp.objectId);
    assert.equal(first?.appId, idp.appId);
    assert.equal(first?.appDisplayName, 'Mimecast');

    const { page } = await startPasswordSignIn(agent, idp, { id: '_l2' });
    const done = await answerStaySignedIn(agent, page);
    assert.match(done.text, /name="hiddenform"/);
    const [success, previous] = await readLogs(idp);
    assert.equal(success?.status, 'Success');
    assert.equal(success?.errorCode, 0);
    assert.equal(success?.code, null);
    assert.equal(success?.authenticationMethod, 'Password');
    assert.equal(success?.userPrincipalName, idp.user.userPrincipalName);
    assert.equal(previous?.requestId, first?.requestId);
  });

  test('not assigned (50105): the error page shows the ids the log keeps', async () => {
    const agent = request.agent(idp.app);
    const { page } = await startPasswordSignIn(agent, idp, { id: '_l3', upn: 'Unassigned@contoso.com', password: 'Test-only-Passw0rd!' });
    const done = await answerStaySignedIn(agent, page);
    assert.equal(done.headers['x-idp-error'], 'IDP_AADSTS50105');
    const entry = await assertPageMatchesNewest(idp, done.text);
    assert.equal(entry.errorCode, 50105);
    assert.equal(entry.status, 'Failure');
  });

  test('a reply URL the app does not have (50011) is logged before anyone signs in', async () => {
    const xml = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_l4" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" AssertionConsumerServiceURL="https://evil.test/acs"><saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer></samlp:AuthnRequest>`;
    const res = await request(idp.app)
      .get(`/${idp.tenantId}/saml2`)
      .query({ SAMLRequest: encodeRedirectBinding(xml) });
    assert.equal(res.headers['x-idp-error'], 'IDP_AADSTS50011');
    const entry = await assertPageMatchesNewest(idp, res.text);
    assert.equal(entry.code, 'IDP_AADSTS50011');
    assert.equal(entry.appId, idp.appId);
    assert.equal(entry.userPrincipalName, null);
  });

  test("MFA denied (500121) and a disabled app (7000112) are logged with the page's ids", async () => {
    const agent = request.agent(idp.app);
    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { assignmentRequired: false });
    const { page } = await startPasswordSignIn(agent, idp, { id: '_l5', upn: 'Mfa@contoso.com', password: 'Test-only-Passw0rd!' });
    const denied = await answerSecondFactor(agent, page, 'deny');
    assert.equal(denied.headers['x-idp-error'], 'IDP_AADSTS500121');
    assert.equal((await assertPageMatchesNewest(idp, denied.text)).errorCode, 500121);

    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { enabledForSignIn: false });
    const other = request.agent(idp.app);
    const next = await answerStaySignedIn(other, (await startPasswordSignIn(other, idp, { id: '_l6' })).page);
    assert.equal(next.headers['x-idp-error'], 'IDP_AADSTS7000112');
    assert.equal((await assertPageMatchesNewest(idp, next.text)).errorCode, 7000112);
    await updateAppSettings(idp.ctx, idp.tenantId, idp.appId, { enabledForSignIn: true });
  });

  test('the admin center lists the entries under Monitoring & health › Sign-in logs', async () => {
    const entries = await readLogs(idp);
    const res = await request(idp.app).get(`/admin/${idp.tenantId}/sign-in-logs`);
    assert.equal(res.status, 200);
    const rows = [...res.text.matchAll(/<tr data-request-id="([^"]+)" data-status="(Success|Failure)"/g)].map((m) => m[1]);
    assert.deepEqual(
      rows,
      entries.map((e) => e.requestId),
    );
    assert.match(res.text, /href="\/admin\/[^"]+\/sign-in-logs" aria-current="page"/);
  });

  test('?top= limits the entries; empty means not given; anything but 1 to 1000, given once, is VALIDATION_FAILED', async () => {
    const path = `/api/tenants/${idp.tenantId}/sign-in-logs`;
    const all = await readLogs(idp);
    assert.ok(all.length >= 2, 'earlier tests logged several attempts');
    const empty = await request(idp.app).get(`${path}?top=`).set('accept', 'application/json');
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, all.length);
    const one = await request(idp.app).get(`${path}?top=1`).set('accept', 'application/json');
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, all.slice(0, 1));
    for (const query of ['top=abc', 'top=0', 'top=1001', 'top=-1', 'top=1.5', 'top=%EF%BC%91', 'top=1&top=2']) {
      const res = await request(idp.app).get(`${path}?${query}`).set('accept', 'application/json');
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error, 'VALIDATION_FAILED', query);
    }
  });

  test('the store keeps only the newest entries of a tenant', async () => {
    const store = new SqliteSignInLogStore(idp.db);
    const base = (await readLogs(idp))[0] as SignInLogEntry;
    for (let i = 0; i < 5; i++) await store.add({ ...base, id: `r${i}`, requestId: `r${i}` }, 3);
    const kept = await store.list(idp.tenantId, 10);
    assert.deepEqual(
      kept.map((e) => e.requestId),
      ['r4', 'r3', 'r2'],
    );
  });
});
