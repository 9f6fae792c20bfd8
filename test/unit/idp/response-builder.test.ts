import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import * as xmlenc from 'xml-encryption';
import * as xpath from 'xpath';
import { applyClaimEdits, buildDefaultClaims, selectNameIdValue } from '../../../src/core/idp/claims.js';
import { buildEntraResponse, type EntraResponseInput } from '../../../src/core/idp/response-builder.js';
import { signElementById } from '../../../src/core/idp/response-signing.js';
import {
  ALGORITHM,
  AUTHN_CONTEXT,
  ENTRA_CLAIM,
  NAMEID_FORMAT,
  NS,
  STATUS,
  SUBJECT_CONFIRMATION,
} from '../../../src/core/saml/constants.js';
import { buildSignedTestResponse, mutateResponseXml, TEST_TENANT_ID, toBase64 } from '../../_helpers/idp-signer.js';
import { idp1, idp2, spEncryption } from '../../_helpers/test-keys.js';

const select = xpath.useNamespaces({ samlp: NS.samlp, saml: NS.saml, ds: NS.ds, xenc: NS.xenc });
const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const ISSUED = new Date('2026-11-26T10:00:00.123Z');
const user = {
  userPrincipalName: 'B.Simon@contoso.com',
  mail: 'B.Simon@contoso.com',
  objectId: '11112222-bbbb-3333-cccc-4444dddd5555',
  displayName: 'B.Simon',
  givenName: 'B',
  surname: 'Simon',
};

function buildInput(overrides: Partial<EntraResponseInput> = {}): EntraResponseInput {
  return {
    tenantId: TENANT,
    destination: 'https://eu-api.mimecast.com/login/saml',
    audience: 'https://eu-api.mimecast.com/sso/CUK123',
    user,
    issueInstant: ISSUED,
    ids: { responseId: '_5e2b0f9a-0000-4000-8000-000000000001', assertionId: '_5e2b0f9a-0000-4000-8000-000000000002' },
    signing: { key: idp1.key, cert: idp1.cert, option: 'assertion', algorithm: 'sha256' },
    ...overrides,
  };
}

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}
function one(expr: string, node: Node): Element {
  const found = select(expr, node, true) as Element | undefined;
  assert.ok(found, `expected ${expr}`);
  return found;
}
function all(expr: string, node: Node): Element[] {
  return select(expr, node) as Element[];
}
function attr(expr: string, node: Node): string | undefined {
  const found = select(expr, node, true) as Attr | undefined;
  return found?.value;
}

/** Verifies the Signature that is a direct child of `signedPath` against `cert`. */
function verify(xml: string, signedPath: string, cert: string): boolean {
  const doc = parse(xml);
  const signature = one(`${signedPath}/ds:Signature`, doc);
  const verifier = new SignedXml({ publicCert: cert });
  verifier.loadSignature(signature);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

function decrypt(encryptedAssertionXml: string): string {
  let result = '';
  xmlenc.decrypt(encryptedAssertionXml, { key: spEncryption.key }, (err, plain) => {
    if (err) throw err;
    result = plain;
  });
  return result;
}

describe('buildEntraResponse: default shape (as Entra ID issues it)', () => {
  const built = buildEntraResponse(buildInput());
  const doc = parse(built.xml);
  const response = one('/samlp:Response', doc);
  const assertion = one('/samlp:Response/saml:Assertion', doc);

  test('Response: ID starts with _, Version 2.0, IssueInstant with milliseconds, Destination, no InResponseTo', () => {
    assert.match(response.getAttribute('ID') ?? '', /^_/);
    assert.equal(response.getAttribute('ID'), built.responseId);
    assert.equal(response.getAttribute('Version'), '2.0');
    assert.equal(response.getAttribute('IssueInstant'), '2026-11-26T10:00:00.123Z');
    assert.equal(response.getAttribute('Destination'), 'https://eu-api.mimecast.com/login/saml');
    assert.equal(response.hasAttribute('InResponseTo'), false);
    assert.equal(Buffer.from(built.base64, 'base64').toString('utf8'), built.xml);
  });

  test('Issuer on Response and Assertion is https://sts.windows.net/<tenant>/, Status Success', () => {
    assert.equal(one('/samlp:Response/saml:Issuer', doc).textContent, `https://sts.windows.net/${TENANT}/`);
    assert.equal(one('saml:Issuer', assertion).textContent, `https://sts.windows.net/${TENANT}/`);
    assert.equal(attr('/samlp:Response/samlp:Status/samlp:StatusCode/@Value', doc), STATUS.success);
  });

  test('Assertion: ID, IssueInstant, Version; child order Issuer, Signature, Subject, Conditions, AttributeStatement, AuthnStatement', () => {
    assert.equal(assertion.getAttribute('ID'), built.assertionId);
    assert.equal(assertion.getAttribute('IssueInstant'), '2026-11-26T10:00:00.123Z');
    assert.equal(assertion.getAttribute('Version'), '2.0');
    const children = all('*', assertion).map((e) => e.localName);
    assert.deepEqual(children, ['Issuer', 'Signature', 'Subject', 'Conditions', 'AttributeStatement', 'AuthnStatement']);
  });

  test('Subject: NameID = UPN in emailAddress format; bearer confirmation with Recipient and NotOnOrAfter, no InResponseTo', () => {
    const nameId = one('saml:Subject/saml:NameID', assertion);
    assert.equal(nameId.textContent, user.userPrincipalName);
    assert.equal(nameId.getAttribute('Format'), NAMEID_FORMAT.emailAddress);
    assert.equal(attr('saml:Subject/saml:SubjectConfirmation/@Method', assertion), SUBJECT_CONFIRMATION.bearer);
    const data = one('saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData', assertion);
    assert.equal(data.getAttribute('Recipient'), 'https://eu-api.mimecast.com/login/saml');
    assert.equal(data.getAttribute('NotOnOrAfter'), '2026-11-26T11:00:00.123Z');
    assert.equal(data.hasAttribute('InResponseTo'), false);
  });

  test('Conditions: NotBefore = issue − 5 min, NotOnOrAfter = issue + 60 min, Audience = Identifier', () => {
    assert.equal(attr('saml:Conditions/@NotBefore', assertion), '2026-11-26T09:55:00.123Z');
    assert.equal(attr('saml:Conditions/@NotOnOrAfter', assertion), '2026-11-26T11:00:00.123Z');
    assert.equal(
      one('saml:Conditions/saml:AudienceRestriction/saml:Audience', assertion).textContent,
      'https://eu-api.mimecast.com/sso/CUK123',
    );
  });

  test('attributes in Entra order with the right values', () => {
    const attributes = all('saml:AttributeStatement/saml:Attribute', assertion);
    assert.deepEqual(
      attributes.map((a) => a.getAttribute('Name')),
      [
        ENTRA_CLAIM.tenantId,
        ENTRA_CLAIM.objectId,
        ENTRA_CLAIM.displayName,
        ENTRA_CLAIM.identityProvider,
        ENTRA_CLAIM.authnMethodsReferences,
        ENTRA_CLAIM.givenName,
        ENTRA_CLAIM.surname,
        ENTRA_CLAIM.emailAddress,
        ENTRA_CLAIM.name,
      ],
    );
    const values = attributes.map((a) => all('saml:AttributeValue', a).map((v) => v.textContent));
    assert.deepEqual(values, [
      [TENANT],
      [user.objectId],
      [user.displayName],
      [`https://sts.windows.net/${TENANT}/`],
      ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'],
      ['B'],
      ['Simon'],
      [user.mail],
      [user.userPrincipalName],
    ]);
  });

  test('AuthnStatement: SessionIndex = assertion ID, AuthnContextClassRef Password', () => {
    assert.equal(attr('saml:AuthnStatement/@SessionIndex', assertion), built.assertionId);
    assert.equal(attr('saml:AuthnStatement/@AuthnInstant', assertion), '2026-11-26T10:00:00.123Z');
    assert.equal(one('saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef', assertion).textContent, AUTHN_CONTEXT.password);
  });

  test('by default the Response is unsigned and the Assertion is signed (exc-c14n, rsa-sha256, sha256, X509Certificate)', () => {
    assert.equal(all('/samlp:Response/ds:Signature', doc).length, 0);
    assert.deepEqual(built.signedElements, ['Assertion']);
    const signature = one('ds:Signature', assertion);
    assert.equal(attr('ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm', signature), ALGORITHM.excC14n);
    assert.equal(attr('ds:SignedInfo/ds:SignatureMethod/@Algorithm', signature), ALGORITHM.rsaSha256);
    assert.equal(attr('ds:SignedInfo/ds:Reference/@URI', signature), `#${built.assertionId}`);
    assert.deepEqual(
      all('ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform', signature).map((t) => t.getAttribute('Algorithm')),
      [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    );
    assert.equal(attr('ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm', signature), ALGORITHM.sha256);
    const certB64 = idp1.cert.replace(/-----[^-]+-----|\s/g, '');
    assert.equal(one('ds:KeyInfo/ds:X509Data/ds:X509Certificate', signature).textContent, certB64);
  });

  test('the assertion signature verifies with the idp1 certificate and not with idp2', () => {
    assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
    assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp2.cert), false);
  });
});

describe('buildEntraResponse: options', () => {
  test('SP-initiated: InResponseTo on Response and SubjectConfirmationData', () => {
    const doc = parse(buildEntraResponse(buildInput({ inResponseTo: '_req-1' })).xml);
    assert.equal(attr('/samlp:Response/@InResponseTo', doc), '_req-1');
    assert.equal(attr('//saml:SubjectConfirmationData/@InResponseTo', doc), '_req-1');
  });

  const cases = [
    { option: 'none', response: false, assertion: false },
    { option: 'assertion', response: false, assertion: true },
    { option: 'response', response: true, assertion: false },
    { option: 'response-and-assertion', response: true, assertion: true },
  ] as const;
  for (const c of cases) {
    test(`signing option ${c.option} signs exactly the right elements, each verifiable`, () => {
      const built = buildEntraResponse(buildInput({ signing: { key: idp1.key, cert: idp1.cert, option: c.option, algorithm: 'sha256' } }));
      const doc = parse(built.xml);
      assert.equal(all('/samlp:Response/ds:Signature', doc).length, c.response ? 1 : 0);
      assert.equal(all('/samlp:Response/saml:Assertion/ds:Signature', doc).length, c.assertion ? 1 : 0);
      assert.equal(all('//ds:Signature', doc).length, Number(c.response) + Number(c.assertion));
      if (c.response) {
        // Schema order: Issuer, Signature, Status (SAML Core 3.2.2).
        assert.deepEqual(
          all('/samlp:Response/*', doc)
            .map((e) => e.localName)
            .slice(0, 3),
          ['Issuer', 'Signature', 'Status'],
        );
        assert.equal(verify(built.xml, '/samlp:Response', idp1.cert), true);
        assert.equal(verify(built.xml, '/samlp:Response', idp2.cert), false);
      }
      if (c.assertion) assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
    });
  }

  test('sha1 uses rsa-sha1 and a sha1 digest, and verifies', () => {
    const built = buildEntraResponse(
      buildInput({ signing: { key: idp1.key, cert: idp1.cert, option: 'response-and-assertion', algorithm: 'sha1' } }),
    );
    const doc = parse(built.xml);
    for (const signature of all('//ds:Signature', doc)) {
      assert.equal(attr('ds:SignedInfo/ds:SignatureMethod/@Algorithm', signature), ALGORITHM.rsaSha1);
      assert.equal(attr('ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm', signature), ALGORITHM.sha1);
    }
    assert.equal(verify(built.xml, '/samlp:Response', idp1.cert), true);
    assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
  });

  test('hostile characters in NameID, claims and URLs are escaped and round-trip; the signature still verifies', () => {
    const nasty = `a<b>&c"d'e</NameID><x`;
    const built = buildEntraResponse(
      buildInput({
        nameId: { value: nasty },
        user: { ...user, displayName: nasty },
        destination: 'https://sp.example/acs?a=1&b="2"',
      }),
    );
    const doc = parse(built.xml);
    assert.equal(one('//saml:NameID', doc).textContent, nasty);
    assert.equal(all('//saml:NameID', doc).length, 1);
    assert.equal(one(`//saml:Attribute[@Name='${ENTRA_CLAIM.displayName}']/saml:AttributeValue`, doc).textContent, nasty);
    assert.equal(attr('/samlp:Response/@Destination', doc), 'https://sp.example/acs?a=1&b="2"');
    assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
  });

  test('an error status carries StatusCode Requester, a second-level code and the AADSTS message, and no assertion', () => {
    const message = "AADSTS50105: Your administrator has configured the application Mimecast ('x') to block users.";
    const built = buildEntraResponse(
      buildInput({ inResponseTo: '_req-2', status: { code: STATUS.requester, subCode: STATUS.requestDenied, message } }),
    );
    const doc = parse(built.xml);
    assert.equal(all('//saml:Assertion', doc).length, 0);
    assert.equal(all('//saml:EncryptedAssertion', doc).length, 0);
    assert.equal(attr('/samlp:Response/samlp:Status/samlp:StatusCode/@Value', doc), STATUS.requester);
    assert.equal(attr('/samlp:Response/samlp:Status/samlp:StatusCode/samlp:StatusCode/@Value', doc), STATUS.requestDenied);
    assert.equal(one('/samlp:Response/samlp:Status/samlp:StatusMessage', doc).textContent, message);
    assert.deepEqual(built.signedElements, []);
  });

  for (const blockCipher of ['aes256-cbc', 'aes128-gcm'] as const) {
    test(`encryption (${blockCipher}) yields an EncryptedAssertion that decrypts to an assertion whose signature verifies`, () => {
      const built = buildEntraResponse(
        buildInput({
          signing: { key: idp1.key, cert: idp1.cert, option: 'response-and-assertion', algorithm: 'sha256' },
          encryption: { cert: spEncryption.cert, blockCipher },
        }),
      );
      const doc = parse(built.xml);
      assert.equal(built.encrypted, true);
      assert.equal(all('//saml:Assertion', doc).length, 0);
      const encrypted = one('/samlp:Response/saml:EncryptedAssertion', doc);
      assert.equal(attr('xenc:EncryptedData/xenc:EncryptionMethod/@Algorithm', encrypted)?.endsWith(blockCipher), true);
      assert.equal(
        attr('xenc:EncryptedData/ds:KeyInfo/xenc:EncryptedKey/xenc:EncryptionMethod/@Algorithm', encrypted),
        'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      );
      // The Response signature covers the encrypted form.
      assert.equal(verify(built.xml, '/samlp:Response', idp1.cert), true);

      const plain = decrypt(encrypted.toString());
      const assertionDoc = parse(plain);
      assert.equal(one('/saml:Assertion', assertionDoc).getAttribute('ID'), built.assertionId);
      assert.equal(one('//saml:NameID', assertionDoc).textContent, user.userPrincipalName);
      assert.equal(verify(plain, '/saml:Assertion', idp1.cert), true);
      assert.equal(verify(plain, '/saml:Assertion', idp2.cert), false);
    });
  }

  test('overrides: issuer, recipient, lifetimes, holder-of-key, NameID format, authn context and methods', () => {
    const built = buildEntraResponse(
      buildInput({
        issuer: 'https://evil.example/',
        recipient: 'https://other.example/acs',
        notBeforeSkewMs: 0,
        lifetimeMs: 10 * 60_000,
        confirmationLifetimeMs: 5 * 60_000,
        confirmationMethod: SUBJECT_CONFIRMATION.holderOfKey,
        nameId: { format: NAMEID_FORMAT.persistent },
        authnContextClassRef: AUTHN_CONTEXT.windows,
        authnMethodsReferences: [
          'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/windows',
          'http://schemas.microsoft.com/claims/multipleauthn',
        ],
        authnInstant: new Date('2026-11-26T09:00:00.000Z'),
      }),
    );
    const doc = parse(built.xml);
    assert.deepEqual(
      all('//saml:Issuer', doc).map((i) => i.textContent),
      ['https://evil.example/', 'https://evil.example/'],
    );
    assert.equal(attr('//saml:SubjectConfirmationData/@Recipient', doc), 'https://other.example/acs');
    assert.equal(attr('//saml:SubjectConfirmationData/@NotOnOrAfter', doc), '2026-11-26T10:05:00.123Z');
    assert.equal(attr('//saml:Conditions/@NotBefore', doc), '2026-11-26T10:00:00.123Z');
    assert.equal(attr('//saml:Conditions/@NotOnOrAfter', doc), '2026-11-26T10:10:00.123Z');
    assert.equal(attr('//saml:SubjectConfirmation/@Method', doc), SUBJECT_CONFIRMATION.holderOfKey);
    assert.equal(attr('//saml:NameID/@Format', doc), NAMEID_FORMAT.persistent);
    assert.equal(one('//saml:AuthnContextClassRef', doc).textContent, AUTHN_CONTEXT.windows);
    assert.equal(attr('//saml:AuthnStatement/@AuthnInstant', doc), '2026-11-26T09:00:00.000Z');
    assert.equal(all(`//saml:Attribute[@Name='${ENTRA_CLAIM.authnMethodsReferences}']/saml:AttributeValue`, doc).length, 2);
  });

  test('beforeSign changes the document before signing, so the variant still carries a valid signature', () => {
    const built = buildEntraResponse(
      buildInput({
        beforeSign: (doc) => {
          const audience = doc.getElementsByTagNameNS(NS.saml, 'Audience').item(0);
          if (audience) audience.textContent = 'https://wrong.example/';
        },
      }),
    );
    assert.equal(one('//saml:Audience', parse(built.xml)).textContent, 'https://wrong.example/');
    assert.equal(verify(built.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
  });
});

describe('claims', () => {
  test('a user without mail, given name or surname gets no such attributes', () => {
    const names = buildDefaultClaims({ userPrincipalName: 'u@contoso.com', mail: null, objectId: 'o', displayName: 'U' }, TENANT).map(
      (c) => c.name,
    );
    assert.deepEqual(names, [
      ENTRA_CLAIM.tenantId,
      ENTRA_CLAIM.objectId,
      ENTRA_CLAIM.displayName,
      ENTRA_CLAIM.identityProvider,
      ENTRA_CLAIM.authnMethodsReferences,
      ENTRA_CLAIM.name,
    ]);
  });

  test('extra claims replace in place or append; omitted claims disappear', () => {
    const edited = applyClaimEdits(buildDefaultClaims(user, TENANT), {
      extra: [
        { name: ENTRA_CLAIM.displayName, values: ['Changed'] },
        { name: ENTRA_CLAIM.groups, values: ['g1', 'g2'] },
      ],
      omit: [ENTRA_CLAIM.emailAddress],
    });
    assert.deepEqual(edited[2], { name: ENTRA_CLAIM.displayName, values: ['Changed'] });
    assert.equal(
      edited.some((c) => c.name === ENTRA_CLAIM.emailAddress),
      false,
    );
    assert.deepEqual(edited.at(-1), { name: ENTRA_CLAIM.groups, values: ['g1', 'g2'] });
  });

  test('NameID source selection', () => {
    assert.equal(selectNameIdValue('user.userprincipalname', user), user.userPrincipalName);
    assert.equal(selectNameIdValue('user.mail', user), user.mail);
    assert.equal(selectNameIdValue('user.objectid', user), user.objectId);
    assert.equal(selectNameIdValue('user.mail', { ...user, mail: null }), null);
  });
});

describe('test helpers', () => {
  const now = new Date('2026-11-26T10:00:00.000Z');
  const base = {
    now,
    acsUrl: 'https://eu-api.mimecast.com/login/saml',
    audience: 'https://eu-api.mimecast.com/sso/CUK123',
    email: 'b.simon@contoso.com',
  };

  test('buildSignedTestResponse gives a signed Entra-shaped response with fresh ids each call', () => {
    const first = buildSignedTestResponse(base);
    const second = buildSignedTestResponse({ ...base, inResponseTo: '_req-3' });
    assert.notEqual(first.responseId, second.responseId);
    assert.notEqual(first.assertionId, second.assertionId);
    const doc = parse(first.xml);
    assert.equal(one('//saml:NameID', doc).textContent, 'b.simon@contoso.com');
    assert.equal(one('/samlp:Response/saml:Issuer', doc).textContent, `https://sts.windows.net/${TEST_TENANT_ID}/`);
    assert.equal(verify(first.xml, '/samlp:Response/saml:Assertion', idp1.cert), true);
    assert.equal(attr('/samlp:Response/@InResponseTo', parse(second.xml)), '_req-3');
  });

  test('mutateResponseXml after signing breaks the signature; toBase64 encodes UTF-8', () => {
    const built = buildSignedTestResponse(base);
    const tampered = mutateResponseXml(built.xml, (doc) => {
      const nameId = doc.getElementsByTagNameNS(NS.saml, 'NameID').item(0);
      if (nameId) nameId.textContent = 'admin@contoso.com';
    });
    assert.equal(one('//saml:NameID', parse(tampered)).textContent, 'admin@contoso.com');
    assert.equal(verify(tampered, '/samlp:Response/saml:Assertion', idp1.cert), false);
    assert.equal(toBase64(built.xml), built.base64);
  });

  test('node-saml, the SP signature gate, accepts every signing option with and without encryption', async () => {
    for (const option of ['assertion', 'response', 'response-and-assertion'] as const) {
      for (const encrypt of [false, true]) {
        const built = buildSignedTestResponse({
          ...base,
          now: new Date(),
          signing: { key: idp1.key, cert: idp1.cert, option, algorithm: 'sha256' },
          ...(encrypt ? { encryption: { cert: spEncryption.cert } } : {}),
        });
        const saml = new SAML({
          idpCert: idp1.cert,
          issuer: base.audience,
          audience: base.audience,
          callbackUrl: base.acsUrl,
          idpIssuer: `https://sts.windows.net/${TEST_TENANT_ID}/`,
          wantAssertionsSigned: option !== 'response',
          wantAuthnResponseSigned: option !== 'assertion',
          decryptionPvk: spEncryption.key,
        });
        const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: built.base64 });
        assert.equal(profile?.nameID, base.email, `${option}, encrypted: ${encrypt}`);
      }
    }
  });

  test('signElementById re-signs with another key and can misplace the Signature', () => {
    const built = buildSignedTestResponse({ ...base, signing: { key: idp1.key, cert: idp1.cert, option: 'none', algorithm: 'sha256' } });
    const resigned = signElementById(built.xml, {
      elementId: built.assertionId,
      elementLocalName: 'Assertion',
      key: idp2.key,
      cert: idp2.cert,
      signatureAlgorithm: ALGORITHM.rsaSha256,
      digestAlgorithm: ALGORITHM.sha256,
      placement: 'last-child',
    });
    const assertion = one('/samlp:Response/saml:Assertion', parse(resigned));
    assert.equal(all('*', assertion).at(-1)?.localName, 'Signature');
    assert.equal(verify(resigned, '/samlp:Response/saml:Assertion', idp2.cert), true);
    assert.equal(verify(resigned, '/samlp:Response/saml:Assertion', idp1.cert), false);
  });
});
