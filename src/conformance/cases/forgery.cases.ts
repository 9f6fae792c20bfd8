/**
 * Forgeries by someone who holds genuine signatures and wants to be the victim: a genuine assertion
 * signature copied over altered content inside encryption, a signature lifted from the IdP's own
 * signed federation metadata, and a signed Response altered around an assertion signature that
 * still holds. SignatureValue verifies with the trusted key in each; the digest of the content the
 * SP reads does not, and the SP names that.
 */
import { buildFederationMetadata } from '../../core/idp/federation-metadata.js';
import { encryptAssertion } from '../../core/idp/response-signing.js';
import { NS } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { changeNameId, editXml, encodeXml, findChild, findElement, insertExtensions, parseRawXml } from '../xml-craft.js';

/** Digest forgeries that keep a genuine SignatureValue. */
export const forgeryCases: ConformanceCase[] = [
  {
    id: 'encrypted-signed-nameid-changed',
    title: "NameID changed to the victim after signing, signature kept, then encrypted to the SP's public certificate",
    reference: 'XML-DSig 3.2.1 (reference validation); SAML Core 6.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => {
      const built = kit.respond();
      const forged = changeNameId(built.xml, kit.victim);
      return { samlResponse: encodeXml(encryptAssertion(forged, { assertionId: built.assertionId, cert: kit.spEncryptionCert })) };
    },
  },
  {
    id: 'metadata-signature-transplant',
    title:
      "The Signature of the IdP's signed federation metadata moved into an assertion for the victim whose ID is the metadata's document ID",
    reference: 'XML-DSig 3.2.1; SAML Core 5.4.2 (reference to the signed element)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => {
      const documentId = kit.newId();
      // Published at the App Federation Metadata URL, signed with the very key the profile trusts.
      const metadata = buildFederationMetadata({
        tenantId: kit.tenantId,
        idpBaseUrl: 'https://login.microsoftonline.com',
        documentId,
        certificates: [kit.idp.cert],
        signingKey: kit.idp.key,
        signingCert: kit.idp.cert,
        withBom: false,
      });
      const lifted = findElement(parseRawXml(metadata), NS.ds, 'Signature');
      const built = kit.respond({ nameId: { value: kit.victim }, signing: { option: 'none' } });
      return {
        samlResponse: encodeXml(
          editXml(built.xml, (doc) => {
            const assertion = findElement(doc, NS.saml, 'Assertion');
            assertion.setAttribute('ID', documentId);
            assertion.insertBefore(doc.importNode(lifted, true), findChild(assertion, NS.saml, 'Subject'));
          }),
        ),
      };
    },
  },
  {
    id: 'signed-response-destination-changed',
    title: "Sign SAML response and assertion: the Response's Destination changed after signing to another URL this ACS accepts",
    reference: 'XML-DSig 3.2.1; SAML Bindings 3.5.5.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond({ signing: { option: 'response-and-assertion' } }).xml, (doc) => {
          // The production Reply URL passes the destination check here, so only the signature can refuse it.
          (doc.documentElement as Element).setAttribute('Destination', new URL('/login/saml', kit.identifier).href);
        }),
      ),
    }),
  },
  {
    id: 'signed-response-extensions-added',
    title: 'Sign SAML response and assertion: samlp:Extensions added to the Response after signing',
    reference: 'XML-DSig 3.2.1; SAML Core 3.2.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond({ signing: { option: 'response-and-assertion' } }).xml, (doc) => {
          const note = doc.createElementNS('urn:example:attacker', 'a:Note');
          note.appendChild(doc.createTextNode(kit.victim));
          insertExtensions(doc, doc.documentElement as Element).appendChild(note);
        }),
      ),
    }),
  },
];
