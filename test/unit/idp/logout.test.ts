import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMimecastApp, updateAppSettings } from '../../../src/core/idp/admin.js';
import type { ParsedLogoutRequest } from '../../../src/core/idp/authn-request.js';
import { acceptLogoutResponse, advanceLogout, beginIdpLogout, beginSpLogout, type LogoutStep } from '../../../src/core/idp/logout.js';
import type { SessionParticipant } from '../../../src/core/idp/sso.js';
import { decodeRedirectBinding } from '../../../src/core/saml/bindings.js';
import { NAMEID_FORMAT, STATUS } from '../../../src/core/saml/constants.js';
import { readLogoutMessageFacts } from '../../../src/core/saml/logout-messages.js';
import { verifyRedirectSignature } from '../../../src/core/saml/redirect-signature.js';
import { parseXmlSafely } from '../../../src/core/saml/xml.js';
import { createTestIdpContext, DEFAULT_IDENTIFIER, IDP_BASE_URL, seedContoso, type TestIdpContext } from '../../_helpers/idp-harness.js';
import { idp1 } from '../../_helpers/test-keys.js';

const MIMECAST_LOGOUT = 'http://sp.test/logout/saml';
const OTHER_LOGOUT = 'http://other.test/saml/logout';

function readStep(step: LogoutStep, param: 'SAMLRequest' | 'SAMLResponse') {
  assert.equal(step.kind, 'redirect');
  if (step.kind !== 'redirect') assert.fail('expected a redirect');
  const url = new URL(step.location);
  const facts = readLogoutMessageFacts(parseXmlSafely(decodeRedirectBinding(url.searchParams.get(param) ?? '', 65536)));
  return { url, facts, step };
}

/** The mock Entra as session authority: who is told, in which order, and what the requester gets. */
describe('mock Entra single logout chain', () => {
  let t: TestIdpContext;
  let ids: { tenantId: string; appId: string };
  let otherAppId: string;
  let silentAppId: string;
  let participants: SessionParticipant[];

  before(async () => {
    t = createTestIdpContext();
    ids = await seedContoso(t.ctx);
    await updateAppSettings(t.ctx, ids.tenantId, ids.appId, { logoutUrl: MIMECAST_LOGOUT });
    // The test key pair, so the LogoutRequest to this app verifies against idp1 as the others do.
    otherAppId = (
      await createMimecastApp(
        t.ctx,
        ids.tenantId,
        { identifiers: ['urn:other'], replyUrls: ['http://other.test/acs'], logoutUrl: OTHER_LOGOUT },
        { pem: idp1.cert, keyPem: idp1.key },
      )
    ).appId;
    silentAppId = (await createMimecastApp(t.ctx, ids.tenantId, { identifiers: ['urn:silent'], replyUrls: ['http://silent.test/acs'] }))
      .appId;
    participants = [ids.appId, silentAppId, otherAppId].map((appId, i) => ({
      appId,
      nameId: 'B.Simon@contoso.com',
      nameIdFormat: NAMEID_FORMAT.emailAddress,
      sessionIndex: `_s${i}`,
    }));
  });
  after(() => t.close());

  test("an SP's LogoutRequest: the other participants with a Logout Url first, then a signed LogoutResponse", async () => {
    const request: ParsedLogoutRequest = {
      kind: 'logout',
      id: '_sp-req',
      issuer: DEFAULT_IDENTIFIER,
      destination: null,
      nameId: 'B.Simon@contoso.com',
      sessionIndexes: ['_s0'],
      xml: '',
    };
    const tenant = await t.ctx.stores.tenants.find(ids.tenantId);
    assert.ok(tenant);
    const chain = await beginSpLogout(t.ctx, tenant, request, 'rs', participants);
    assert.deepEqual(
      chain.queue.map((p) => p.appId),
      [silentAppId, otherAppId],
    );

    const toOther = readStep(await advanceLogout(t.ctx, chain), 'SAMLRequest');
    assert.equal(`${toOther.url.origin}${toOther.url.pathname}`, OTHER_LOGOUT);
    assert.equal(toOther.facts.kind, 'LogoutRequest');
    assert.deepEqual(toOther.facts.nameId, { value: 'B.Simon@contoso.com', format: NAMEID_FORMAT.emailAddress });
    assert.deepEqual(toOther.facts.sessionIndexes, ['_s2']);
    assert.equal(toOther.facts.destination, OTHER_LOGOUT);
    assert.match(toOther.url.search, /SigAlg=http%3a%2f%2f/, 'lower-case escapes, as Entra writes them');
    assert.equal(verifyRedirectSignature(toOther.url.search.slice(1), 'SAMLRequest', [idp1.cert]).status, 'verified');

    const next = toOther.step.kind === 'redirect' ? toOther.step.chain : null;
    assert.ok(next?.awaiting);
    const answered = acceptLogoutResponse(next, {
      id: '_a',
      inResponseTo: toOther.facts.id,
      issuer: 'urn:other',
      statusCode: STATUS.success,
      xml: '',
    });
    const toMimecast = readStep(await advanceLogout(t.ctx, answered), 'SAMLResponse');
    assert.equal(`${toMimecast.url.origin}${toMimecast.url.pathname}`, MIMECAST_LOGOUT);
    assert.equal(toMimecast.url.searchParams.get('RelayState'), 'rs');
    assert.equal(toMimecast.facts.inResponseTo, '_sp-req');
    // Entra's LogoutResponse Issuer is https://login.microsoftonline.com/<tenant>/ (single sign-out
    // protocol doc); the mock's base URL stands in for login.microsoftonline.com.
    assert.equal(toMimecast.facts.issuer, `${IDP_BASE_URL}/${ids.tenantId}/`);
    assert.equal(toOther.facts.issuer, `https://sts.windows.net/${ids.tenantId}/`);
    assert.equal(toMimecast.facts.status.code, STATUS.success);
    assert.equal(toMimecast.facts.status.subCode, null);
    assert.equal(verifyRedirectSignature(toMimecast.url.search.slice(1), 'SAMLResponse', [idp1.cert]).status, 'verified');
    assert.equal(toMimecast.step.kind === 'redirect' ? toMimecast.step.chain : 'x', null);
  });

  test('an unconfirmed participant makes the final answer a PartialLogout', async () => {
    const request: ParsedLogoutRequest = {
      kind: 'logout',
      id: '_sp-req-2',
      issuer: DEFAULT_IDENTIFIER,
      destination: null,
      nameId: null,
      sessionIndexes: [],
      xml: '',
    };
    const tenant = await t.ctx.stores.tenants.find(ids.tenantId);
    assert.ok(tenant);
    const first = await advanceLogout(t.ctx, await beginSpLogout(t.ctx, tenant, request, null, participants));
    assert.ok(first.kind === 'redirect' && first.chain);
    const wrongAnswer = acceptLogoutResponse(first.chain, {
      id: '_a',
      inResponseTo: '_not-the-request',
      issuer: 'urn:other',
      statusCode: STATUS.success,
      xml: '',
    });
    assert.equal(wrongAnswer.results[0]?.matched, false);
    const final = readStep(await advanceLogout(t.ctx, wrongAnswer), 'SAMLResponse');
    assert.equal(final.facts.status.subCode, 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout');
  });

  test("My Apps › Sign out tells every participant with a Logout Url, then ends on Entra's page", async () => {
    const first = readStep(await advanceLogout(t.ctx, beginIdpLogout(ids.tenantId, participants)), 'SAMLRequest');
    assert.equal(`${first.url.origin}${first.url.pathname}`, MIMECAST_LOGOUT);
    const chain = first.step.kind === 'redirect' ? first.step.chain : null;
    assert.ok(chain);
    const second = readStep(
      await advanceLogout(
        t.ctx,
        acceptLogoutResponse(chain, {
          id: '_a',
          inResponseTo: first.facts.id,
          issuer: DEFAULT_IDENTIFIER,
          statusCode: STATUS.success,
          xml: '',
        }),
      ),
      'SAMLRequest',
    );
    assert.equal(`${second.url.origin}${second.url.pathname}`, OTHER_LOGOUT);
    const rest = second.step.kind === 'redirect' ? second.step.chain : null;
    assert.ok(rest);
    const end = await advanceLogout(
      t.ctx,
      acceptLogoutResponse(rest, { id: '_b', inResponseTo: second.facts.id, issuer: 'urn:other', statusCode: STATUS.success, xml: '' }),
    );
    assert.equal(end.kind, 'signed-out');
    assert.deepEqual(end.kind === 'signed-out' ? end.results.map((r) => [r.appId, r.matched]) : [], [
      [ids.appId, true],
      [otherAppId, true],
    ]);
  });
});
