/**
 * Signature forgeries that keep the document's shape: a removed or never-made signature, signed values
 * changed afterwards, signatures by a key the profile does not trust (certificate faking), KeyInfo
 * games, and the two xml-crypto bypasses of March 2025.
 */
import { NS } from '../../core/saml/constants.js';
import type { CaseKit, ConformanceCase } from '../types.js';
import { detach, editXml, encodeXml, findChild, findElement, readCertificateBody, setText, signWith } from '../xml-craft.js';

const OTHER_ACCOUNT_IDENTIFIER = 'https://eu-api.mimecast.com/sso/CUK99X99';

/** The baseline, unsigned, with the victim as NameID: what an attacker signs with their own key. */
function buildUnsignedForVictim(kit: CaseKit): { xml: string; assertionId: string } {
  const built = kit.respond({ nameId: { value: kit.victim }, signing: { option: 'none' } });
  return { xml: built.xml, assertionId: built.assertionId };
}

/** The digest the SP would compute for the baseline's assertion once its NameID names the victim. */
function computeForgedDigest(kit: CaseKit, xml: string, assertionId: string): string {
  const unsigned = editXml(xml, (doc) => {
    detach(findElement(doc, NS.ds, 'Signature'));
    setText(findElement(doc, NS.saml, 'NameID'), kit.victim);
  });
  const resigned = signWith(unsigned, kit.attacker, { id: assertionId, localName: 'Assertion' });
  return /<DigestValue>([^<]+)<\/DigestValue>/.exec(resigned)?.[1] ?? '';
}

/** Signature removal, tampering, foreign keys and the 2025 xml-crypto bypass shapes. */
export const signatureCases: ConformanceCase[] = [
  {
    id: 'signature-removed',
    title: "The assertion's Signature removed and its NameID changed to the victim",
    reference: 'SAML Core 5.4; Profiles 4.1.3.5',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_MISSING',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => {
          detach(findElement(doc, NS.ds, 'Signature'));
          setText(findElement(doc, NS.saml, 'NameID'), kit.victim);
        }),
      ),
    }),
  },
  {
    id: 'signature-never-made',
    title: 'A response signed nowhere, naming the victim',
    reference: 'SAML Profiles 4.1.3.5',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_MISSING',
    build: (kit) => ({ samlResponse: encodeXml(buildUnsignedForVictim(kit).xml) }),
  },
  {
    id: 'signed-nameid-changed',
    title: 'NameID changed to the victim after signing',
    reference: 'XML-DSig 3.2.1 (reference validation)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(editXml(kit.respond().xml, (doc) => setText(findElement(doc, NS.saml, 'NameID'), kit.victim))),
    }),
  },
  {
    id: 'signed-audience-changed',
    title: 'Audience changed after signing: a response for another Mimecast account re-aimed at this one',
    reference: 'XML-DSig 3.2.1; SAML Core 2.5.1.4',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond({ audience: OTHER_ACCOUNT_IDENTIFIER }).xml, (doc) =>
          setText(findElement(doc, NS.saml, 'Audience'), kit.identifier),
        ),
      ),
    }),
  },
  {
    id: 'signed-not-on-or-after-extended',
    title: 'An expired response whose NotOnOrAfter values were moved into the future after signing',
    reference: 'XML-DSig 3.2.1; SAML Core 2.5.1.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => {
      const later = new Date(kit.now.getTime() + 3_600_000).toISOString();
      const old = kit.respond({ issueInstant: new Date(kit.now.getTime() - 2 * 3_600_000) });
      return {
        samlResponse: encodeXml(
          editXml(old.xml, (doc) => {
            findElement(doc, NS.saml, 'Conditions').setAttribute('NotOnOrAfter', later);
            findElement(doc, NS.saml, 'SubjectConfirmationData').setAttribute('NotOnOrAfter', later);
          }),
        ),
      };
    },
  },
  {
    id: 'certificate-faking-attacker-key',
    title: "Certificate faking: signed with the attacker's key, the attacker's certificate in KeyInfo",
    reference: 'Certificate faking (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNTRUSTED_CERT',
    build: (kit) => {
      const { xml, assertionId } = buildUnsignedForVictim(kit);
      return { samlResponse: encodeXml(signWith(xml, kit.attacker, { id: assertionId, localName: 'Assertion' })) };
    },
  },
  {
    id: 'attacker-key-trusted-cert-in-keyinfo',
    title: "Signed with the attacker's key while KeyInfo shows the trusted IdP certificate",
    reference: 'Certificate faking (Somorovsky et al. 2012)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_VALUE_INVALID',
    build: (kit) => {
      const { xml, assertionId } = buildUnsignedForVictim(kit);
      return {
        samlResponse: encodeXml(signWith(xml, kit.attacker, { id: assertionId, localName: 'Assertion', keyInfoCert: kit.idp.cert })),
      };
    },
  },
  {
    id: 'attacker-key-no-keyinfo',
    title: "Signed with the attacker's key and no KeyInfo at all",
    reference: 'SAML Core 5.4.5',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_VALUE_INVALID',
    build: (kit) => {
      const { xml, assertionId } = buildUnsignedForVictim(kit);
      return { samlResponse: encodeXml(signWith(xml, kit.attacker, { id: assertionId, localName: 'Assertion', keyInfoCert: null })) };
    },
  },
  {
    id: 'keyinfo-swapped-content-untouched',
    title: "KeyInfo swapped to the attacker's certificate, signature and content untouched: the key comes from the profile",
    reference: 'SAML Core 5.4.5 (KeyInfo is not trusted)',
    expected: 'accepted',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => setText(findElement(doc, NS.ds, 'X509Certificate'), readCertificateBody(kit.attacker.cert))),
      ),
    }),
  },
  {
    id: 'keyinfo-swapped-nameid-changed',
    title: "KeyInfo swapped to the attacker's certificate and NameID changed, original signature kept",
    reference: 'Certificate faking (Somorovsky et al. 2012)',
    expected: 'refused',
    // KeyInfo is ignored: SignatureValue verifies with the profile's key, so the changed digest is the fault named.
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => {
          setText(findElement(doc, NS.ds, 'X509Certificate'), readCertificateBody(kit.attacker.cert));
          setText(findElement(doc, NS.saml, 'NameID'), kit.victim);
        }),
      ),
    }),
  },
  {
    id: 'digest-value-comment',
    title: 'A comment inside DigestValue carries the digest of the tampered assertion; the text keeps the original',
    reference: 'CVE-2025-29775 (xml-crypto)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => {
      const built = kit.respond();
      const forged = computeForgedDigest(kit, built.xml, built.assertionId);
      return {
        samlResponse: encodeXml(
          editXml(built.xml, (doc) => {
            setText(findElement(doc, NS.saml, 'NameID'), kit.victim);
            const digest = findElement(doc, NS.ds, 'DigestValue');
            const original = digest.textContent ?? '';
            setText(digest, original);
            digest.insertBefore(doc.createComment(forged), digest.firstChild);
          }),
        ),
      };
    },
  },
  {
    id: 'two-signed-info',
    title: 'A second SignedInfo whose Reference digests the tampered assertion, beside the genuine one',
    reference: 'CVE-2025-29774 (xml-crypto)',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNSUPPORTED',
    build: (kit) => {
      const built = kit.respond();
      const forged = computeForgedDigest(kit, built.xml, built.assertionId);
      return {
        samlResponse: encodeXml(
          editXml(built.xml, (doc) => {
            setText(findElement(doc, NS.saml, 'NameID'), kit.victim);
            const signature = findElement(doc, NS.ds, 'Signature');
            const genuine = findChild(signature, NS.ds, 'SignedInfo') as Element;
            const second = genuine.cloneNode(true) as Element;
            setText(findElement(second, NS.ds, 'DigestValue'), forged);
            signature.insertBefore(second, genuine);
          }),
        ),
      };
    },
  },
  {
    id: 'sha1-under-strict-policy',
    title: 'A genuine RSA-SHA1 signature while the SP refuses SHA-1',
    reference: 'XML-DSig 6.4; NIST SP 800-131A',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_SHA1_REFUSED',
    build: (kit) => ({ samlResponse: kit.respond({ signing: { algorithm: 'sha1' } }).base64, settings: { refuseSha1: true } }),
  },
];
