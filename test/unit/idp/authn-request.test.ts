import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { parseSamlRequest, readSamlRequest } from '../../../src/core/idp/authn-request.js';
import { encodePostBinding, encodeRedirectBinding } from '../../../src/core/saml/bindings.js';
import { AUTHN_CONTEXT, NAMEID_FORMAT, NS } from '../../../src/core/saml/constants.js';

const FULL = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_abc" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" Destination="https://idp/saml2" AssertionConsumerServiceURL="https://sp/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ForceAuthn="true" IsPassive="false"><saml:Issuer> https://sp/sso/X </saml:Issuer><samlp:NameIDPolicy Format="${NAMEID_FORMAT.emailAddress}" AllowCreate="true"/><samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>${AUTHN_CONTEXT.passwordProtectedTransport}</saml:AuthnContextClassRef><saml:AuthnContextClassRef>${AUTHN_CONTEXT.windows}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err.code;
  }
  return 'no error';
}

describe('parseSamlRequest / readSamlRequest', () => {
  test('reads every field Entra uses, over both bindings', () => {
    for (const [value, binding] of [
      [encodeRedirectBinding(FULL), 'redirect'],
      [encodePostBinding(FULL), 'post'],
    ] as const) {
      const req = readSamlRequest(value, binding);
      assert.equal(req.kind, 'authn');
      if (req.kind !== 'authn') return;
      assert.equal(req.id, '_abc');
      assert.equal(req.issuer, 'https://sp/sso/X');
      assert.equal(req.assertionConsumerServiceUrl, 'https://sp/acs');
      assert.equal(req.protocolBinding, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
      assert.equal(req.nameIdPolicyFormat, NAMEID_FORMAT.emailAddress);
      assert.deepEqual(req.requestedAuthnContext, {
        comparison: 'exact',
        classRefs: [AUTHN_CONTEXT.passwordProtectedTransport, AUTHN_CONTEXT.windows],
      });
      assert.equal(req.forceAuthn, true);
      assert.equal(req.isPassive, false);
    }
  });

  test('Comparison defaults to exact; absent elements are null', () => {
    const xml = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_a" Version="2.0"><samlp:RequestedAuthnContext><saml:AuthnContextClassRef>x</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>`;
    const req = parseSamlRequest(xml);
    assert.equal(req.kind, 'authn');
    if (req.kind !== 'authn') return;
    assert.equal(req.requestedAuthnContext?.comparison, 'exact');
    assert.equal(req.issuer, null);
    assert.equal(req.assertionConsumerServiceUrl, null);
    assert.equal(req.nameIdPolicyFormat, null);
  });

  test('reads a LogoutRequest', () => {
    const xml = `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_l" Version="2.0"><saml:Issuer>i</saml:Issuer><saml:NameID>u@x</saml:NameID><samlp:SessionIndex>s1</samlp:SessionIndex></samlp:LogoutRequest>`;
    assert.deepEqual(
      { ...parseSamlRequest(xml), xml: '' },
      { kind: 'logout', id: '_l', issuer: 'i', destination: null, nameId: 'u@x', sessionIndexes: ['s1'], xml: '' },
    );
    const sent = xml.replace('Version="2.0"', 'Version="2.0" Destination="http://idp.test/t/saml2"');
    const parsed = parseSamlRequest(sent);
    assert.equal(parsed.kind === 'logout' ? parsed.destination : 'not a LogoutRequest', 'http://idp.test/t/saml2');
  });

  test('a comment inside the Issuer does not truncate it', () => {
    const xml = FULL.replace(' https://sp/sso/X ', 'https://sp/sso/X<!---->.evil');
    const req = parseSamlRequest(xml);
    assert.equal(req.issuer, 'https://sp/sso/X.evil');
  });

  const hostile: [string, () => unknown, string][] = [
    ['missing', () => readSamlRequest(undefined, 'redirect'), 'IDP_AADSTS750054'],
    ['empty', () => readSamlRequest('  ', 'post'), 'IDP_AADSTS750054'],
    ['not base64', () => readSamlRequest('@@@', 'post'), 'IDP_AADSTS750056'],
    ['not deflate', () => readSamlRequest(Buffer.from('<x/>').toString('base64'), 'redirect'), 'IDP_AADSTS750056'],
    ['not UTF-8', () => readSamlRequest(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), 'post'), 'IDP_AADSTS750056'],
    ['malformed XML', () => parseSamlRequest('<samlp:AuthnRequest'), 'IDP_AADSTS750056'],
    ['DTD / entity expansion', () => parseSamlRequest('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'), 'IDP_AADSTS750056'],
    ['wrong root', () => parseSamlRequest(`<samlp:Response xmlns:samlp="${NS.samlp}" ID="_r"/>`), 'IDP_AADSTS750056'],
    ['wrong namespace', () => parseSamlRequest('<AuthnRequest ID="_r"/>'), 'IDP_AADSTS750056'],
    ['no ID', () => parseSamlRequest(`<samlp:AuthnRequest xmlns:samlp="${NS.samlp}"/>`), 'IDP_AADSTS750056'],
    ['too large', () => parseSamlRequest(`<a>${'x'.repeat(70_000)}</a>`), 'IDP_AADSTS750056'],
    ['deflate bomb', () => readSamlRequest(encodeRedirectBinding(`<a>${' '.repeat(5_000_000)}</a>`), 'redirect'), 'IDP_AADSTS750056'],
  ];
  for (const [name, fn, code] of hostile) {
    test(`hostile input (${name}) → ${code}`, () => {
      assert.equal(codeOf(fn), code);
    });
  }
});
