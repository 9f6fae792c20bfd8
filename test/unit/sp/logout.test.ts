import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { decodeRedirectBinding, encodeRedirectBinding } from '../../../src/core/saml/bindings.js';
import { NAMEID_FORMAT, STATUS } from '../../../src/core/saml/constants.js';
import { buildLogoutRequestXml, buildLogoutResponseXml, readLogoutMessageFacts } from '../../../src/core/saml/logout-messages.js';
import { buildSignedRedirectQuery, verifyRedirectSignature } from '../../../src/core/saml/redirect-signature.js';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';
import { consumeSamlResponse } from '../../../src/core/sp/acs.js';
import type { SignedInSession } from '../../../src/core/sp/context.js';
import { buildLogoutPendingId, consumeLogoutResponse, startSpLogout } from '../../../src/core/sp/logout.js';
import { consumeLogoutRequest } from '../../../src/core/sp/logout-request.js';
import { TEST_TENANT_ID } from '../../_helpers/idp-signer.js';
import { createTestSpCore, ISSUER, NOW, PUBLIC_BASE_URL, type TestSpCore, URLS, USER_EMAIL } from '../../_helpers/sp-core.js';
import { idp1, idp2, spSigning } from '../../_helpers/test-keys.js';

const LOGOUT_URL = `${PUBLIC_BASE_URL}/logout/saml`;
/** Entra's LogoutResponse Issuer (single sign-out protocol doc), not the sts.windows.net Issuer URL. */
const LOGOUT_RESPONSE_ISSUER = `https://login.microsoftonline.com/${TEST_TENANT_ID}/`;

const SESSION: SignedInSession = {
  accountCode: 'CUK12A34',
  email: USER_EMAIL,
  globalName: 'B. Simon',
  nameId: USER_EMAIL,
  nameIdFormat: NAMEID_FORMAT.emailAddress,
  sessionIndex: '_assertion-1',
  issuer: ISSUER,
  attributes: [],
  authnContextClassRef: null,
  isAdministrator: false,
  landing: '/portal',
  traceId: '00000000-0000-4000-8000-000000000000',
  signedInAt: NOW.toISOString(),
  flow: 'sp-initiated',
};

/** A Redirect-binding query as Entra sends it: lower-case escapes, signed with `key` (or unsigned with null). */
function buildIdpQuery(param: 'SAMLRequest' | 'SAMLResponse', xml: string, key: string | null, relayState: string | null = null): string {
  const message = encodeRedirectBinding(xml);
  if (key === null) return `${param}=${encodeURIComponent(message)}`;
  return buildSignedRedirectQuery({ param, message, relayState, key, algorithm: 'sha256', encoding: 'lower' });
}

function readQueryValue(query: string, name: string): string {
  return new URLSearchParams(query).get(name) ?? '';
}

function buildIdpLogoutRequest(overrides: Partial<Parameters<typeof buildLogoutRequestXml>[0]> = {}): string {
  return buildLogoutRequestXml({
    id: '_idp-logout-1',
    issuer: ISSUER,
    destination: LOGOUT_URL,
    issueInstant: NOW,
    nameId: USER_EMAIL,
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: SESSION.sessionIndex,
    ...overrides,
  });
}

describe('SP single logout (core)', () => {
  let sp: TestSpCore;
  beforeEach(async () => {
    sp = await createTestSpCore();
  });
  afterEach(() => sp.close());

  test('SP-initiated: a signed LogoutRequest with NameID, Format, SessionIndex, remembered under slo:<ID>', async () => {
    const start = await startSpLogout(sp.ctx, SESSION);
    assert.equal(start.kind, 'redirect');
    if (start.kind !== 'redirect') return;
    const location = new URL(start.location);
    const profile = await sp.stores.profiles.get('CUK12A34');
    assert.equal(`${location.origin}${location.pathname}`, profile?.logoutUrl);
    const facts = readLogoutMessageFacts(parseXmlSafely(decodeRedirectBinding(location.searchParams.get('SAMLRequest') ?? '', 65536)));
    assert.equal(facts.kind, 'LogoutRequest');
    assert.equal(facts.id, start.requestId);
    assert.equal(facts.issuer, URLS.entraIdentifier);
    assert.equal(facts.destination, profile?.logoutUrl);
    assert.deepEqual(facts.nameId, { value: USER_EMAIL, format: NAMEID_FORMAT.emailAddress });
    assert.deepEqual(facts.sessionIndexes, ['_assertion-1']);
    assert.equal(verifyRedirectSignature(location.search.slice(1), 'SAMLRequest', [spSigning.cert]).status, 'verified');
    assert.equal((await sp.stores.pending.get(buildLogoutPendingId(start.requestId)))?.accountCode, 'CUK12A34');
    assert.equal(await sp.stores.pending.get(start.requestId), null);
    const trace = await sp.stores.traces.get(start.traceId);
    assert.equal(trace?.kind, 'logout-request');
    assert.equal(trace?.outcome, 'sent');
  });

  test('SP-initiated without a Logout URL in the profile is a local sign-out only', async () => {
    const profile = await sp.stores.profiles.get('CUK12A34');
    assert.ok(profile);
    await sp.stores.profiles.put({ ...profile, logoutUrl: null });
    assert.deepEqual(await startSpLogout(sp.ctx, SESSION), { kind: 'local' });
  });

  test('a LogoutRequest ID never answers an ACS InResponseTo (separate id space)', async () => {
    const start = await startSpLogout(sp.ctx, SESSION);
    assert.equal(start.kind, 'redirect');
    if (start.kind !== 'redirect') return;
    const outcome = await consumeSamlResponse(sp.ctx, { samlResponse: sp.respond({ inResponseTo: start.requestId }), relayState: null });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.trace.checks.find((c) => c.id === 'in-response-to')?.code, 'SP_IN_RESPONSE_TO_UNKNOWN');
  });

  test("the IdP's LogoutResponse: every check passes once, then InResponseTo is unknown", async () => {
    const start = await startSpLogout(sp.ctx, SESSION);
    assert.equal(start.kind, 'redirect');
    if (start.kind !== 'redirect') return;
    const xml = buildLogoutResponseXml({
      id: '_r1',
      issuer: LOGOUT_RESPONSE_ISSUER,
      destination: LOGOUT_URL,
      inResponseTo: start.requestId,
      issueInstant: NOW,
    });
    const rawQuery = buildIdpQuery('SAMLResponse', xml, idp1.key);
    const input = { rawQuery, samlResponse: readQueryValue(rawQuery, 'SAMLResponse'), relayState: null };
    const first = await consumeLogoutResponse(sp.ctx, input);
    assert.equal(first.ok, true);
    assert.deepEqual(
      first.trace.checks.filter((c) => c.status !== 'pass'),
      [],
    );
    assert.deepEqual(
      first.trace.checks.map((c) => c.id),
      ['payload', 'logout-in-response-to', 'logout-issuer', 'logout-destination', 'logout-signature', 'logout-status'],
    );
    assert.equal(first.trace.kind, 'logout-response');
    assert.equal(first.trace.accountCode, 'CUK12A34');
    const again = await consumeLogoutResponse(sp.ctx, input);
    assert.equal(again.ok, false);
    assert.equal(again.trace.summary.firstFailure, 'SP_LOGOUT_IN_RESPONSE_TO_UNKNOWN');
  });

  test('a LogoutResponse signed by another key, with another Issuer, Destination or status fails by name', async () => {
    const cases: [Partial<Parameters<typeof buildLogoutResponseXml>[0]>, string, string][] = [
      [{}, idp2.key, 'SP_LOGOUT_SIGNATURE_INVALID'],
      [{ issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/' }, idp1.key, 'SP_LOGOUT_ISSUER_MISMATCH'],
      // The sign-in Issuer is not what Entra puts on a LogoutResponse.
      [{ issuer: ISSUER }, idp1.key, 'SP_LOGOUT_ISSUER_MISMATCH'],
      [{ destination: 'https://evil.test/logout' }, idp1.key, 'SP_LOGOUT_DESTINATION_MISMATCH'],
      [{ status: { code: STATUS.requester, subCode: STATUS.requestDenied } }, idp1.key, 'SP_LOGOUT_STATUS_NOT_SUCCESS'],
    ];
    for (const [override, key, code] of cases) {
      const start = await startSpLogout(sp.ctx, SESSION);
      if (start.kind !== 'redirect') assert.fail('expected a redirect');
      const xml = buildLogoutResponseXml({
        id: '_r',
        issuer: LOGOUT_RESPONSE_ISSUER,
        destination: LOGOUT_URL,
        inResponseTo: start.requestId,
        issueInstant: NOW,
        ...override,
      });
      const rawQuery = buildIdpQuery('SAMLResponse', xml, key);
      const outcome = await consumeLogoutResponse(sp.ctx, {
        rawQuery,
        samlResponse: readQueryValue(rawQuery, 'SAMLResponse'),
        relayState: null,
      });
      assert.equal(outcome.ok, false, code);
      assert.equal(outcome.trace.summary.firstFailure, code);
    }
  });

  test('an unsigned LogoutResponse is a warning (the local session is over anyway)', async () => {
    const start = await startSpLogout(sp.ctx, SESSION);
    if (start.kind !== 'redirect') assert.fail('expected a redirect');
    const xml = buildLogoutResponseXml({
      id: '_r',
      issuer: LOGOUT_RESPONSE_ISSUER,
      destination: LOGOUT_URL,
      inResponseTo: start.requestId,
      issueInstant: NOW,
    });
    const rawQuery = buildIdpQuery('SAMLResponse', xml, null);
    const outcome = await consumeLogoutResponse(sp.ctx, {
      rawQuery,
      samlResponse: readQueryValue(rawQuery, 'SAMLResponse'),
      relayState: null,
    });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.trace.checks.find((c) => c.id === 'logout-signature')?.code, 'SP_LOGOUT_UNSIGNED');
  });

  test('IdP-initiated: a signed LogoutRequest for the session ends it and answers Success, signed by the SP', async () => {
    const rawQuery = buildIdpQuery('SAMLRequest', buildIdpLogoutRequest(), idp1.key, 'rs-1');
    const outcome = await consumeLogoutRequest(sp.ctx, {
      rawQuery,
      samlRequest: readQueryValue(rawQuery, 'SAMLRequest'),
      relayState: 'rs-1',
      session: SESSION,
    });
    assert.equal(outcome.endSession, true);
    assert.deepEqual(outcome.status, { code: STATUS.success });
    assert.equal(outcome.trace.outcome, 'success');
    assert.equal(outcome.answerTrace?.kind, 'logout-response');
    const location = new URL(outcome.location ?? '');
    assert.equal(location.searchParams.get('RelayState'), 'rs-1');
    assert.equal(verifyRedirectSignature(location.search.slice(1), 'SAMLResponse', [spSigning.cert]).status, 'verified');
    const facts = readLogoutMessageFacts(parseXmlSafely(decodeRedirectBinding(location.searchParams.get('SAMLResponse') ?? '', 65536)));
    assert.equal(facts.kind, 'LogoutResponse');
    assert.equal(facts.inResponseTo, '_idp-logout-1');
    assert.equal(facts.issuer, URLS.entraIdentifier);
    assert.equal(facts.status.code, STATUS.success);
  });

  test('IdP-initiated refusals: untrusted requests are RequestDenied, unknown sessions UnknownPrincipal', async () => {
    const cases: { xml: string; key: string | null; session: SignedInSession | null; code: string; subCode: string }[] = [
      { xml: buildIdpLogoutRequest(), key: null, session: SESSION, code: 'SP_LOGOUT_UNSIGNED', subCode: STATUS.requestDenied },
      { xml: buildIdpLogoutRequest(), key: idp2.key, session: SESSION, code: 'SP_LOGOUT_SIGNATURE_INVALID', subCode: STATUS.requestDenied },
      {
        xml: buildIdpLogoutRequest({ issuer: 'https://sts.windows.net/other/' }),
        key: idp1.key,
        session: SESSION,
        code: 'SP_LOGOUT_ISSUER_MISMATCH',
        subCode: STATUS.requestDenied,
      },
      {
        xml: buildIdpLogoutRequest({ notOnOrAfter: new Date(NOW.getTime() - 600_000) }),
        key: idp1.key,
        session: SESSION,
        code: 'SP_LOGOUT_EXPIRED',
        subCode: STATUS.requestDenied,
      },
      {
        xml: buildIdpLogoutRequest({ nameId: 'someone.else@contoso.com' }),
        key: idp1.key,
        session: SESSION,
        code: 'SP_LOGOUT_UNKNOWN_PRINCIPAL',
        subCode: STATUS.unknownPrincipal,
      },
      {
        xml: buildIdpLogoutRequest({ sessionIndex: '_another-session' }),
        key: idp1.key,
        session: SESSION,
        code: 'SP_LOGOUT_UNKNOWN_PRINCIPAL',
        subCode: STATUS.unknownPrincipal,
      },
      { xml: buildIdpLogoutRequest(), key: idp1.key, session: null, code: 'SP_LOGOUT_UNKNOWN_PRINCIPAL', subCode: STATUS.unknownPrincipal },
    ];
    for (const c of cases) {
      const rawQuery = buildIdpQuery('SAMLRequest', c.xml, c.key);
      const outcome = await consumeLogoutRequest(sp.ctx, {
        rawQuery,
        samlRequest: readQueryValue(rawQuery, 'SAMLRequest'),
        relayState: null,
        session: c.session,
      });
      assert.equal(outcome.endSession, false, c.code);
      assert.equal(outcome.trace.summary.firstFailure, c.code);
      assert.deepEqual(outcome.status, { code: STATUS.requester, subCode: c.subCode }, c.code);
      assert.ok(outcome.location, `${c.code}: the IdP still gets an answer`);
    }
  });

  test('IdP-initiated: a wrong root or a DTD is refused by the payload check, with no answer to send', async () => {
    const wrongRoot = buildLogoutResponseXml({ id: '_x', issuer: ISSUER, destination: LOGOUT_URL, inResponseTo: '_y', issueInstant: NOW });
    const dtd = `<!DOCTYPE x [<!ENTITY e "e">]>${buildIdpLogoutRequest()}`;
    for (const [xml, code] of [
      [wrongRoot, 'SP_LOGOUT_WRONG_ROOT'],
      [dtd, 'SP_PAYLOAD_DTD'],
    ] as const) {
      const rawQuery = buildIdpQuery('SAMLRequest', xml, idp1.key);
      const outcome = await consumeLogoutRequest(sp.ctx, {
        rawQuery,
        samlRequest: readQueryValue(rawQuery, 'SAMLRequest'),
        relayState: null,
        session: SESSION,
      });
      assert.equal(outcome.endSession, false);
      assert.equal(outcome.trace.summary.firstFailure, code);
      assert.equal(outcome.location, null);
    }
  });

  test('a Redirect signature is checked over the query as received, not as re-encoded', () => {
    const rawQuery = buildIdpQuery('SAMLRequest', buildIdpLogoutRequest(), idp1.key, 'a b/c');
    assert.match(rawQuery, /%2[bf]|%3d/, 'lower-case escapes, as Entra writes them');
    assert.equal(verifyRedirectSignature(rawQuery, 'SAMLRequest', [idp2.cert, idp1.cert]).status, 'verified');
    const upper = rawQuery.replace(/%[0-9a-f]{2}/g, (m) => m.toUpperCase());
    assert.equal(verifyRedirectSignature(upper, 'SAMLRequest', [idp1.cert]).status, 'invalid');
    assert.equal(verifyRedirectSignature(`${rawQuery}&SAMLRequest=x`, 'SAMLRequest', [idp1.cert]).status, 'invalid');
  });
});
