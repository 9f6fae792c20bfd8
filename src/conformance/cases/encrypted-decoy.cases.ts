/**
 * Decoy encrypted content. The SP's encryption certificate is public, so anyone can encrypt an
 * assertion to it; two readers that look for "the" EncryptedData in different places then decrypt
 * two different assertions, and the one that was verified is not the one that is consumed. The SP
 * accepts one EncryptedAssertion shape only, so any extra or misplaced encrypted element refuses the
 * message, whatever it decrypts to. The attacker holds one genuine signed assertion for `kit.user`.
 */
import { encryptAssertion } from '../../core/idp/response-signing.js';
import { NS } from '../../core/saml/constants.js';
import type { CaseKit, ConformanceCase } from '../types.js';
import { changeNameId, editXml, encodeXml, findElement, hideInExtensions, parseRawXml } from '../xml-craft.js';

/** The attacker's genuine response (assertion for `kit.user`, signed by the IdP), not yet encrypted. */
function buildGenuine(kit: CaseKit): { xml: string; assertionId: string } {
  const built = kit.respond();
  return { xml: built.xml, assertionId: built.assertionId };
}

/** The response with its assertion encrypted to the SP's public certificate. */
function encryptToSp(kit: CaseKit, xml: string, assertionId: string): string {
  return encryptAssertion(xml, { assertionId, cert: kit.spEncryptionCert });
}

/** An unsigned assertion for the victim, encrypted to the SP: what anyone can make. */
function buildUnsignedVictim(kit: CaseKit): string {
  return kit.respond({ nameId: { value: kit.victim }, signing: { option: 'none' }, encryption: { cert: kit.spEncryptionCert } }).xml;
}

/** The EncryptedAssertion of an encrypted response, in a document of its own. */
function takeEncryptedAssertion(xml: string): Element {
  return findElement(parseRawXml(xml), NS.saml, 'EncryptedAssertion');
}

/**
 * The exploit the strict shape closes: the genuine signed assertion encrypted in one place, a copy
 * with the victim's NameID and the signature kept as it was encrypted in the other. `forgedInPlace`
 * decides which of the two is the Response's EncryptedAssertion and which hides in samlp:Extensions.
 */
function buildCopiedSignaturePair(kit: CaseKit, forgedInPlace: boolean): string {
  const genuine = buildGenuine(kit);
  const genuineEncrypted = encryptToSp(kit, genuine.xml, genuine.assertionId);
  const forgedEncrypted = encryptToSp(kit, changeNameId(genuine.xml, kit.victim), genuine.assertionId);
  const [inPlace, hidden] = forgedInPlace ? [forgedEncrypted, genuineEncrypted] : [genuineEncrypted, forgedEncrypted];
  return encodeXml(editXml(inPlace, (doc) => hideInExtensions(doc, takeEncryptedAssertion(hidden))));
}

/** Extra, misplaced and foreign encrypted content beside a genuine EncryptedAssertion. */
export const encryptedDecoyCases: ConformanceCase[] = [
  {
    id: 'encrypted-decoy-data-in-extensions',
    title:
      "A genuine encrypted assertion, and an unsigned one for the victim encrypted to the SP's certificate hidden as an EncryptedData in a foreign wrapper in samlp:Extensions",
    reference: 'SAML Core 2.3.4, 3.2.1 (Extensions); XML-Enc 3.4',
    expected: 'refused',
    expectedCode: 'SP_ENCRYPTION_SHAPE',
    build: (kit) => {
      const genuine = buildGenuine(kit);
      const decoy = findElement(parseRawXml(buildUnsignedVictim(kit)), NS.xenc, 'EncryptedData');
      return {
        samlResponse: encodeXml(editXml(encryptToSp(kit, genuine.xml, genuine.assertionId), (doc) => hideInExtensions(doc, decoy))),
      };
    },
  },
  {
    id: 'encrypted-data-foreign-namespace',
    title:
      "Inside the genuine EncryptedAssertion, before its EncryptedData, a foreign-namespace EncryptedData carrying the victim's unsigned assertion",
    reference: 'SAML Core 2.3.4; XML-Enc 3.4 (xenc:EncryptedData)',
    expected: 'refused',
    expectedCode: 'SP_ENCRYPTION_SHAPE',
    build: (kit) => {
      const genuine = buildGenuine(kit);
      const decoy = findElement(parseRawXml(buildUnsignedVictim(kit)), NS.xenc, 'EncryptedData');
      return {
        samlResponse: encodeXml(
          editXml(encryptToSp(kit, genuine.xml, genuine.assertionId), (doc) => {
            // Same local name, same content, another namespace: a reader matching on local-name() decrypts it.
            const foreign = doc.createElementNS('urn:example:evil', 'e:EncryptedData');
            foreign.setAttribute('Type', decoy.getAttribute('Type') ?? '');
            for (let n = decoy.firstChild; n; n = n.nextSibling) foreign.appendChild(doc.importNode(n, true));
            const container = findElement(doc, NS.saml, 'EncryptedAssertion');
            container.insertBefore(foreign, container.firstChild);
          }),
        ),
      };
    },
  },
  {
    id: 'encrypted-assertion-twice',
    title: "Two EncryptedAssertions: the victim's unsigned one, encrypted to the SP's certificate, before the genuine one",
    reference: 'SAML Profiles 4.1.4.2 (one assertion); SAML Core 2.3.4',
    expected: 'refused',
    expectedCode: 'SP_ENCRYPTION_SHAPE',
    build: (kit) => {
      const genuine = buildGenuine(kit);
      const decoy = takeEncryptedAssertion(buildUnsignedVictim(kit));
      return {
        samlResponse: encodeXml(
          editXml(encryptToSp(kit, genuine.xml, genuine.assertionId), (doc) => {
            const original = findElement(doc, NS.saml, 'EncryptedAssertion');
            original.parentNode?.insertBefore(doc.importNode(decoy, true), original);
          }),
        ),
      };
    },
  },
  {
    id: 'encrypted-copied-signature-decoy-in-extensions',
    title:
      'The genuine signed assertion encrypted in place; a copy naming the victim, signature kept, encrypted and hidden in samlp:Extensions',
    reference: 'Parser differential (two readers, two EncryptedData); SAML Core 2.3.4',
    expected: 'refused',
    expectedCode: 'SP_ENCRYPTION_SHAPE',
    build: (kit) => ({ samlResponse: buildCopiedSignaturePair(kit, false) }),
  },
  {
    id: 'encrypted-copied-signature-genuine-in-extensions',
    title:
      'A copy of the genuine assertion naming the victim, signature kept, encrypted in place; the genuine one encrypted and hidden in samlp:Extensions',
    reference: 'Parser differential (two readers, two EncryptedData); SAML Core 2.3.4',
    expected: 'refused',
    expectedCode: 'SP_ENCRYPTION_SHAPE',
    build: (kit) => ({ samlResponse: buildCopiedSignaturePair(kit, true) }),
  },
];
