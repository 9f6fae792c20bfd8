import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodePostBinding } from '../../src/core/saml/bindings.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { ALGORITHM, AUTHN_CONTEXT, ENTRA_CLAIM, NAMEID_FORMAT, NS, STATUS, SUBJECT_CONFIRMATION } from '../../src/core/saml/constants.js';
import { childElements, firstChildElement, parseXmlSafely, readAttribute, readText } from '../../src/core/saml/xml.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { type Page, readForms, TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';

const GUID_ID = /^_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MINUTE = 60_000;

/** The element `path` below `from`, one direct child per step (no descendant search). */
function walk(from: Element, ...path: [string, string][]): Element {
  let el = from;
  for (const [ns, name] of path) {
    const next = firstChildElement(el, ns, name);
    assert.ok(next, `${name} under ${el.localName}`);
    el = next;
  }
  return el;
}

const readAttr = (el: Element, name: string) => readAttribute(el, name);

/** A response issued by the mock Entra, compared element by element with Entra's shape (recorded Entra responses: test/_fixtures/real). */
describe('what the mock Entra issues has Entra shape', () => {
  let h: Harness;
  let captured: { xml: string; requestId: string; acsUrl: string };

  before(async () => {
    h = await startTestHarness();
    const browser = new TestBrowser();
    let page: Page = await browser.get(`${h.spUrl}/login/saml?email=${encodeURIComponent(IDP_SEED.userPrincipalName)}`);
    let requestId = '';
    for (let step = 0; step < 10; step++) {
      const forms = readForms(page);
      const working = forms.find((f) => f.name === 'hiddenform');
      if (working) {
        captured = { xml: decodePostBinding(working.fields.SAMLResponse ?? '', 1 << 20), requestId, acsUrl: working.action };
        return;
      }
      const authnPost = forms.find((f) => f.id === 'saml-post');
      if (authnPost) {
        const request = parseXmlSafely(decodePostBinding(authnPost.fields.SAMLRequest ?? '', 1 << 20)).documentElement;
        requestId = readAttr(request, 'ID') ?? '';
        page = await browser.submit(page, { form: 'saml-post' });
      } else if (forms.some((f) => f.id === 'mfa-form')) {
        page = await browser.submit(page, { form: 'mfa-form', fields: { action: 'approve' } });
      } else if (forms.some((f) => f.id === 'kmsi-form')) {
        page = await browser.submit(page, { form: 'kmsi-form', fields: { LoginOptions: '3' } });
      } else if (forms.some((f) => 'passwd' in f.fields)) {
        page = await browser.submit(page, { fields: { passwd: IDP_SEED.password } });
      } else {
        page = await browser.submit(page, { fields: { loginfmt: IDP_SEED.userPrincipalName } });
      }
    }
    assert.fail(`no Working page; ended at ${page.url}`);
  });
  after(() => h.close());

  test('Response: _<guid> ID, Destination = Reply URL, InResponseTo, Issuer, Success, unsigned', () => {
    const seed = h.walkthrough.idp;
    assert.ok(seed);
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, h.spUrl);
    const response = parseXmlSafely(captured.xml).documentElement;
    assert.equal(response.namespaceURI, NS.samlp);
    assert.equal(response.localName, 'Response');
    assert.match(readAttr(response, 'ID') ?? '', GUID_ID);
    assert.equal(readAttr(response, 'Version'), '2.0');
    assert.equal(readAttr(response, 'Destination'), urls.localAcsUrl);
    assert.equal(captured.acsUrl, urls.localAcsUrl);
    assert.equal(readAttr(response, 'InResponseTo'), captured.requestId);
    assert.equal(readText(walk(response, [NS.saml, 'Issuer'])), `https://sts.windows.net/${seed.tenantId}/`);
    assert.equal(readAttr(walk(response, [NS.samlp, 'Status'], [NS.samlp, 'StatusCode']), 'Value'), STATUS.success);
    assert.equal(childElements(response, NS.ds, 'Signature').length, 0, 'Entra signs the assertion only by default');
    assert.deepEqual(
      childElements(response, '*', '*').map((e) => e.localName),
      ['Issuer', 'Status', 'Assertion'],
    );
  });

  test('Assertion signature: enveloped, exc-c14n, rsa-sha256 / sha256, the active certificate in KeyInfo', () => {
    const assertion = walk(parseXmlSafely(captured.xml).documentElement, [NS.saml, 'Assertion']);
    assert.match(readAttr(assertion, 'ID') ?? '', GUID_ID);
    assert.deepEqual(
      childElements(assertion, '*', '*')
        .slice(0, 2)
        .map((e) => e.localName),
      ['Issuer', 'Signature'],
    );
    const signedInfo = walk(assertion, [NS.ds, 'Signature'], [NS.ds, 'SignedInfo']);
    assert.equal(readAttr(walk(signedInfo, [NS.ds, 'CanonicalizationMethod']), 'Algorithm'), ALGORITHM.excC14n);
    assert.equal(readAttr(walk(signedInfo, [NS.ds, 'SignatureMethod']), 'Algorithm'), ALGORITHM.rsaSha256);
    const reference = walk(signedInfo, [NS.ds, 'Reference']);
    assert.equal(readAttr(reference, 'URI'), `#${readAttr(assertion, 'ID')}`);
    assert.deepEqual(
      childElements(walk(reference, [NS.ds, 'Transforms']), NS.ds, 'Transform').map((t) => readAttr(t, 'Algorithm')),
      [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    );
    assert.equal(readAttr(walk(reference, [NS.ds, 'DigestMethod']), 'Algorithm'), ALGORITHM.sha256);
    const x509 = readText(walk(assertion, [NS.ds, 'Signature'], [NS.ds, 'KeyInfo'], [NS.ds, 'X509Data'], [NS.ds, 'X509Certificate']));
    assert.equal(describeCertificate(x509).thumbprint, describeCertificate(readKeyPair('idp-signing-1').cert).thumbprint);
  });

  test('Subject: emailAddress NameID = UPN, bearer with Recipient, InResponseTo and NotOnOrAfter', () => {
    const assertion = walk(parseXmlSafely(captured.xml).documentElement, [NS.saml, 'Assertion']);
    const issueInstant = Date.parse(readAttr(assertion, 'IssueInstant') ?? '');
    const nameId = walk(assertion, [NS.saml, 'Subject'], [NS.saml, 'NameID']);
    assert.equal(readAttr(nameId, 'Format'), NAMEID_FORMAT.emailAddress);
    assert.equal(readText(nameId), IDP_SEED.userPrincipalName);
    const confirmation = walk(assertion, [NS.saml, 'Subject'], [NS.saml, 'SubjectConfirmation']);
    assert.equal(readAttr(confirmation, 'Method'), SUBJECT_CONFIRMATION.bearer);
    const data = walk(confirmation, [NS.saml, 'SubjectConfirmationData']);
    assert.equal(readAttr(data, 'Recipient'), captured.acsUrl);
    assert.equal(readAttr(data, 'InResponseTo'), captured.requestId);
    assert.equal(Date.parse(readAttr(data, 'NotOnOrAfter') ?? ''), issueInstant + 60 * MINUTE);
  });

  test('Conditions: NotBefore = issue − 5 min, NotOnOrAfter = issue + 60 min, Audience = the Identifier', () => {
    const assertion = walk(parseXmlSafely(captured.xml).documentElement, [NS.saml, 'Assertion']);
    const issueInstant = Date.parse(readAttr(assertion, 'IssueInstant') ?? '');
    const conditions = walk(assertion, [NS.saml, 'Conditions']);
    assert.equal(Date.parse(readAttr(conditions, 'NotBefore') ?? ''), issueInstant - 5 * MINUTE);
    assert.equal(Date.parse(readAttr(conditions, 'NotOnOrAfter') ?? ''), issueInstant + 60 * MINUTE);
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, h.spUrl);
    assert.equal(readText(walk(conditions, [NS.saml, 'AudienceRestriction'], [NS.saml, 'Audience'])), urls.entraIdentifier);
  });

  test("attributes in Entra's order, then SessionIndex = assertion ID and AuthnContextClassRef Password", () => {
    const assertion = walk(parseXmlSafely(captured.xml).documentElement, [NS.saml, 'Assertion']);
    assert.deepEqual(
      childElements(assertion, '*', '*').map((e) => e.localName),
      ['Issuer', 'Signature', 'Subject', 'Conditions', 'AttributeStatement', 'AuthnStatement'],
    );
    const names = childElements(walk(assertion, [NS.saml, 'AttributeStatement']), NS.saml, 'Attribute').map((a) => readAttr(a, 'Name'));
    assert.deepEqual(names, [
      ENTRA_CLAIM.tenantId,
      ENTRA_CLAIM.objectId,
      ENTRA_CLAIM.displayName,
      ENTRA_CLAIM.identityProvider,
      ENTRA_CLAIM.authnMethodsReferences,
      ENTRA_CLAIM.givenName,
      ENTRA_CLAIM.surname,
      ENTRA_CLAIM.emailAddress,
      ENTRA_CLAIM.name,
    ]);
    const authn = walk(assertion, [NS.saml, 'AuthnStatement']);
    assert.equal(readAttr(authn, 'SessionIndex'), readAttr(assertion, 'ID'));
    assert.equal(readText(walk(authn, [NS.saml, 'AuthnContext'], [NS.saml, 'AuthnContextClassRef'])), AUTHN_CONTEXT.password);
  });
});
