import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { createMimecastApp } from '../../../src/core/idp/admin.js';
import type { ParsedLogoutRequest } from '../../../src/core/idp/authn-request.js';
import type { Tenant } from '../../../src/core/idp/directory.js';
import { judgeLogoutRequest, type LogoutSessionView } from '../../../src/core/idp/logout-request.js';
import { NAMEID_FORMAT } from '../../../src/core/saml/constants.js';
import {
  B_SIMON,
  createTestIdpContext,
  DEFAULT_IDENTIFIER,
  IDP_BASE_URL,
  seedContoso,
  type TestIdpContext,
} from '../../_helpers/idp-harness.js';

function buildRequest(overrides: Partial<ParsedLogoutRequest> = {}): ParsedLogoutRequest {
  return {
    kind: 'logout',
    id: '_lo',
    issuer: DEFAULT_IDENTIFIER,
    destination: null,
    nameId: B_SIMON.userPrincipalName,
    sessionIndexes: [],
    xml: '',
    ...overrides,
  };
}

describe('judgeLogoutRequest', () => {
  let t: TestIdpContext;
  let tenant: Tenant;
  let ids: { tenantId: string; appId: string; objectId: string };
  let session: LogoutSessionView;

  before(async () => {
    t = createTestIdpContext();
    ids = await seedContoso(t.ctx);
    const found = await t.ctx.stores.tenants.find(ids.tenantId);
    assert.ok(found);
    tenant = found;
    const user = {
      tenantId: ids.tenantId,
      objectId: ids.objectId,
      userPrincipalName: B_SIMON.userPrincipalName,
      authMethod: 'password' as const,
      authnInstant: '2027-03-01T10:00:00.000Z',
    };
    session = {
      user,
      participants: [
        { appId: ids.appId, nameId: B_SIMON.userPrincipalName, nameIdFormat: NAMEID_FORMAT.emailAddress, sessionIndex: '_s1' },
      ],
    };
  });
  after(() => t.close());

  test("ends the session for its app's NameID and SessionIndex, NameID compared without case", async () => {
    assert.equal((await judgeLogoutRequest(t.ctx, tenant, buildRequest({ sessionIndexes: ['_s1'] }), session)).kind, 'end-session');
    assert.equal((await judgeLogoutRequest(t.ctx, tenant, buildRequest({ nameId: 'B.SIMON@contoso.com' }), session)).kind, 'end-session');
    assert.equal(
      (await judgeLogoutRequest(t.ctx, tenant, buildRequest({ destination: `${IDP_BASE_URL}/${ids.tenantId}/saml2` }), session)).kind,
      'end-session',
    );
  });

  test('refuses another NameID, a missing one, or a SessionIndex the app was not given', async () => {
    for (const request of [
      buildRequest({ nameId: 'other@contoso.com' }),
      buildRequest({ nameId: null }),
      buildRequest({ sessionIndexes: ['_s2'] }),
    ]) {
      const verdict = await judgeLogoutRequest(t.ctx, tenant, request, session);
      assert.equal(verdict.kind, 'principal-mismatch');
      assert.equal(verdict.kind === 'principal-mismatch' ? verdict.error.code : null, 'IDP_LOGOUT_UNKNOWN_PRINCIPAL');
    }
  });

  test("a NameID that only looks like the session's (U+212A KELVIN SIGN for K) names someone else", async () => {
    const participant = session.participants[0];
    assert.ok(participant);
    const kateSession: LogoutSessionView = { ...session, participants: [{ ...participant, nameId: 'kate@contoso.com' }] };
    // toLowerCase() maps U+212A onto "k"; Entra folds A-Z only.
    const verdict = await judgeLogoutRequest(t.ctx, tenant, buildRequest({ nameId: '\u212Aate@contoso.com' }), kateSession);
    assert.equal(verdict.kind, 'principal-mismatch');
    assert.equal((await judgeLogoutRequest(t.ctx, tenant, buildRequest({ nameId: 'KATE@contoso.com' }), kateSession)).kind, 'end-session');
    const lookAlikeDestination = `${IDP_BASE_URL}/${ids.tenantId}/\u017Faml2`; // U+017F LONG S uppers to S
    await assert.rejects(
      judgeLogoutRequest(t.ctx, tenant, buildRequest({ destination: lookAlikeDestination }), kateSession),
      (error: unknown) => error instanceof AppError && error.code === 'IDP_AADSTS75005',
    );
  });

  test('an app the session never signed in to must name the NameID its claims give the user', async () => {
    await createMimecastApp(t.ctx, ids.tenantId, {
      identifiers: ['urn:by-object-id'],
      replyUrls: ['http://other.test/acs'],
      nameIdSource: 'user.objectid',
    });
    assert.equal(
      (await judgeLogoutRequest(t.ctx, tenant, buildRequest({ issuer: 'urn:by-object-id', nameId: ids.objectId }), session)).kind,
      'end-session',
    );
    assert.equal(
      (await judgeLogoutRequest(t.ctx, tenant, buildRequest({ issuer: 'urn:by-object-id' }), session)).kind,
      'principal-mismatch',
    );
  });

  test('with nobody of this tenant signed in there is nothing to end', async () => {
    assert.equal((await judgeLogoutRequest(t.ctx, tenant, buildRequest(), { user: null, participants: [] })).kind, 'no-session');
    const foreign = { ...session, user: { ...(session.user ?? assert.fail()), tenantId: '11111111-2222-4333-8444-555555555555' } };
    assert.equal((await judgeLogoutRequest(t.ctx, tenant, buildRequest(), foreign)).kind, 'no-session');
  });

  test('throws AADSTS700016 for an unknown or missing Issuer and AADSTS75005 for a foreign Destination', async () => {
    const code = (err: unknown) => (err instanceof AppError ? err.code : null);
    await assert.rejects(
      judgeLogoutRequest(t.ctx, tenant, buildRequest({ issuer: 'urn:nobody' }), session),
      (err) => code(err) === 'IDP_AADSTS700016',
    );
    await assert.rejects(
      judgeLogoutRequest(t.ctx, tenant, buildRequest({ issuer: null }), session),
      (err) => code(err) === 'IDP_AADSTS700016',
    );
    for (const destination of ['not a url', 'https://login.example/other/saml2', `${IDP_BASE_URL}/${ids.tenantId}/saml2#x`]) {
      await assert.rejects(
        judgeLogoutRequest(t.ctx, tenant, buildRequest({ destination }), session),
        (err) => code(err) === 'IDP_AADSTS75005',
        destination,
      );
    }
  });
});
