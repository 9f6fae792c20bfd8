import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { buildFederationMetadata } from '../../../src/core/idp/federation-metadata.js';
import { describeCertificate } from '../../../src/core/saml/certs.js';
import { ALGORITHM, BINDING, NS, PROTOCOL } from '../../../src/core/saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely, readAttribute, readText, stripBom } from '../../../src/core/saml/xml.js';

const read = (name: string) => readFileSync(new URL(`../../../certs/${name}`, import.meta.url), 'utf8');
const cert1 = read('idp-signing-1.crt');
const key1 = read('idp-signing-1.key');
const cert2 = read('idp-signing-2.crt');
const b64 = (pem: string) => describeCertificate(pem).base64;
const TENANT = '5e1f0c2a-1111-4222-8333-444455556666';
const ID = '_9d8c7b6a-0000-4000-8000-000000000abc';

const options = {
  tenantId: TENANT,
  idpBaseUrl: 'http://localhost:3001',
  certificates: [cert1, cert2],
  signingKey: key1,
  signingCert: cert1,
  documentId: ID,
};

function parse(xml: string): Element {
  return parseXmlSafely(stripBom(xml).text).documentElement;
}

function certsIn(descriptor: Element): string[] {
  return childElements(descriptor, NS.md, 'KeyDescriptor').map((kd) => {
    assert.equal(readAttribute(kd, 'use'), 'signing');
    const keyInfo = firstChildElement(kd, NS.ds, 'KeyInfo') as Element;
    const data = firstChildElement(keyInfo, NS.ds, 'X509Data') as Element;
    return readText(firstChildElement(data, NS.ds, 'X509Certificate') as Element);
  });
}

describe('buildFederationMetadata', () => {
  const xml = buildFederationMetadata(options);
  const root = parse(xml);

  test('starts with a UTF-8 BOM and an XML declaration, like Entra', () => {
    assert.equal(xml.charCodeAt(0), 0xfeff);
    assert.ok(xml.slice(1).startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  });

  test('leaves the BOM out when asked', () => {
    assert.ok(buildFederationMetadata({ ...options, withBom: false }).startsWith('<?xml'));
  });

  test('the root is an EntityDescriptor for the tenant issuer', () => {
    assert.equal(root.namespaceURI, NS.md);
    assert.equal(root.localName, 'EntityDescriptor');
    assert.equal(readAttribute(root, 'entityID'), `https://sts.windows.net/${TENANT}/`);
    assert.equal(readAttribute(root, 'ID'), ID);
    assert.equal(readAttribute(root, 'validUntil'), null);
  });

  test('an enveloped exc-c14n / rsa-sha256 / sha256 signature is the first child', () => {
    const first = root.firstChild as Element;
    assert.equal(first.namespaceURI, NS.ds);
    assert.equal(first.localName, 'Signature');
    const signedInfo = firstChildElement(first, NS.ds, 'SignedInfo') as Element;
    assert.equal(readAttribute(firstChildElement(signedInfo, NS.ds, 'CanonicalizationMethod') as Element, 'Algorithm'), ALGORITHM.excC14n);
    assert.equal(readAttribute(firstChildElement(signedInfo, NS.ds, 'SignatureMethod') as Element, 'Algorithm'), ALGORITHM.rsaSha256);
    const reference = firstChildElement(signedInfo, NS.ds, 'Reference') as Element;
    assert.equal(readAttribute(reference, 'URI'), `#${ID}`);
    const transforms = childElements(firstChildElement(reference, NS.ds, 'Transforms') as Element, NS.ds, 'Transform');
    assert.deepEqual(
      transforms.map((t) => readAttribute(t, 'Algorithm')),
      [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    );
    assert.equal(readAttribute(firstChildElement(reference, NS.ds, 'DigestMethod') as Element, 'Algorithm'), ALGORITHM.sha256);
    const keyInfo = firstChildElement(first, NS.ds, 'KeyInfo') as Element;
    const data = firstChildElement(keyInfo, NS.ds, 'X509Data') as Element;
    assert.equal(readText(firstChildElement(data, NS.ds, 'X509Certificate') as Element), b64(cert1));
  });

  test('the signature verifies with the signing certificate and not with the other one', () => {
    const text = stripBom(xml).text;
    const signature = firstChildElement(parse(xml), NS.ds, 'Signature') as Element;
    const good = new SignedXml({ publicCert: cert1, getCertFromKeyInfo: () => null });
    good.loadSignature(signature);
    assert.equal(good.checkSignature(text), true);
    const wrong = new SignedXml({ publicCert: cert2, getCertFromKeyInfo: () => null });
    wrong.loadSignature(signature);
    assert.throws(() => wrong.checkSignature(text));
  });

  test('has the two WS-Federation RoleDescriptors, each listing every certificate', () => {
    const roles = childElements(root, NS.md, 'RoleDescriptor');
    assert.deepEqual(
      roles.map((r) => r.getAttributeNS(NS.xsi, 'type')),
      ['fed:SecurityTokenServiceType', 'fed:ApplicationServiceType'],
    );
    for (const role of roles) {
      assert.equal(readAttribute(role, 'protocolSupportEnumeration'), PROTOCOL.wsFederation);
      assert.equal(role.lookupNamespaceURI('fed'), NS.fed);
      assert.deepEqual(certsIn(role), [b64(cert1), b64(cert2)]);
    }
    assert.equal(childElements(roles[0] as Element, NS.fed, 'PassiveRequestorEndpoint').length, 1);
    const scopes = firstChildElement(roles[1] as Element, NS.fed, 'TargetScopes') as Element;
    assert.equal(readText(scopes), `https://sts.windows.net/${TENANT}/`);
  });

  test('the IDPSSODescriptor lists every certificate, active first, and the saml2 endpoints', () => {
    const idp = childElements(root, NS.md, 'IDPSSODescriptor');
    assert.equal(idp.length, 1);
    const descriptor = idp[0] as Element;
    assert.equal(readAttribute(descriptor, 'protocolSupportEnumeration'), PROTOCOL.saml2);
    assert.deepEqual(certsIn(descriptor), [b64(cert1), b64(cert2)]);
    const endpoint = `http://localhost:3001/${TENANT}/saml2`;
    const read = (name: string) =>
      childElements(descriptor, NS.md, name).map((e) => [readAttribute(e, 'Binding'), readAttribute(e, 'Location')]);
    assert.deepEqual(read('SingleLogoutService'), [[BINDING.httpRedirect, endpoint]]);
    assert.deepEqual(read('SingleSignOnService'), [
      [BINDING.httpRedirect, endpoint],
      [BINDING.httpPost, endpoint],
    ]);
  });

  test('a trailing slash on the base URL does not double up', () => {
    const other = parse(buildFederationMetadata({ ...options, idpBaseUrl: 'http://localhost:3001/' }));
    const descriptor = firstChildElement(other, NS.md, 'IDPSSODescriptor') as Element;
    assert.equal(
      readAttribute(firstChildElement(descriptor, NS.md, 'SingleSignOnService') as Element, 'Location'),
      `http://localhost:3001/${TENANT}/saml2`,
    );
  });

  test('writes validUntil when given', () => {
    const other = parse(buildFederationMetadata({ ...options, validUntil: new Date('2031-05-01T00:00:00Z') }));
    assert.equal(readAttribute(other, 'validUntil'), '2031-05-01T00:00:00.000Z');
  });

  test('refuses an ID that is not an NCName and an empty certificate list', () => {
    assert.throws(() => buildFederationMetadata({ ...options, documentId: '9d8c7b6a' }), TypeError);
    assert.throws(() => buildFederationMetadata({ ...options, certificates: [] }), TypeError);
  });
});
