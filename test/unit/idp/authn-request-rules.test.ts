import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { type ParsedAuthnRequest, parseSamlRequest } from '../../../src/core/idp/authn-request.js';
import { beginSpInitiatedSignIn, resolveTenant } from '../../../src/core/idp/sso.js';
import { BINDING, NAMEID_FORMAT, NS } from '../../../src/core/saml/constants.js';
import { createTestIdpContext, DEFAULT_ACS_URL, DEFAULT_IDENTIFIER, seedContoso, type TestIdpContext } from '../../_helpers/idp-harness.js';

function request(
  parts: { version?: string | null; binding?: string; subject?: boolean; format?: string; comparison?: string } = {},
): ParsedAuthnRequest {
  const version = parts.version === null ? '' : ` Version="${parts.version ?? '2.0'}"`;
  const binding = parts.binding ? ` ProtocolBinding="${parts.binding}"` : '';
  const subject = parts.subject ? '<saml:Subject><saml:NameID>B.Simon@contoso.com</saml:NameID></saml:Subject>' : '';
  const policy = parts.format ? `<samlp:NameIDPolicy Format="${parts.format}"/>` : '';
  const rac = parts.comparison
    ? `<samlp:RequestedAuthnContext Comparison="${parts.comparison}"><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`
    : '';
  const xml = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_r1"${version} AssertionConsumerServiceURL="${DEFAULT_ACS_URL}"${binding}><saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer>${subject}${policy}${rac}</samlp:AuthnRequest>`;
  return parseSamlRequest(xml) as ParsedAuthnRequest;
}

/** Entra's SAML single sign-on protocol doc: what an AuthnRequest may and may not carry. */
describe('the mock Entra refuses what Entra refuses in an AuthnRequest', () => {
  let t: TestIdpContext;
  let tenantId: string;
  before(async () => {
    t = createTestIdpContext();
    tenantId = (await seedContoso(t.ctx)).tenantId;
  });
  after(() => t.close());

  async function codeOf(req: ParsedAuthnRequest): Promise<string> {
    const tenant = await resolveTenant(t.ctx, tenantId);
    try {
      await beginSpInitiatedSignIn(t.ctx, tenant, req, null);
      return 'accepted';
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err.code;
    }
  }

  test('the documented request is accepted: Version 2.0, HTTP-POST, documented formats, exact', async () => {
    assert.equal(await codeOf(request()), 'accepted');
    assert.equal(await codeOf(request({ binding: BINDING.httpPost, comparison: 'exact' })), 'accepted');
    for (const format of Object.values(NAMEID_FORMAT)) assert.equal(await codeOf(request({ format })), 'accepted', format);
  });

  test('Version other than 2.0 is not a valid Saml2 message', async () => {
    assert.equal(await codeOf(request({ version: '1.1' })), 'IDP_AADSTS75005');
    assert.equal(await codeOf(request({ version: null })), 'IDP_AADSTS75005');
  });

  test('a Subject is refused', async () => {
    assert.equal(await codeOf(request({ subject: true })), 'IDP_AUTHN_REQUEST_SUBJECT');
  });

  test('ProtocolBinding other than HTTP-POST is ACS75003 UnsupportedBinding', async () => {
    assert.equal(await codeOf(request({ binding: BINDING.httpArtifact })), 'IDP_ACS75003');
    assert.equal(await codeOf(request({ binding: BINDING.httpRedirect })), 'IDP_ACS75003');
  });

  test('a NameIDPolicy format outside the documented four is refused', async () => {
    assert.equal(
      await codeOf(request({ format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName' })),
      'IDP_NAMEID_POLICY_UNSUPPORTED',
    );
  });

  test('a Comparison other than exact is refused', async () => {
    for (const comparison of ['minimum', 'better', 'maximum']) {
      assert.equal(await codeOf(request({ comparison })), 'IDP_AUTHN_CONTEXT_COMPARISON_UNSUPPORTED', comparison);
    }
  });
});
