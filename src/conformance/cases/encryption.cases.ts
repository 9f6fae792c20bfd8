/**
 * Encrypted assertions (SAML Core 2.3.4, 6.2). Encryption is not authentication: the SP's encryption
 * certificate is public, so anyone can encrypt an assertion to it, and what decrypts must still carry
 * a trusted signature. Insecure key transport and damaged ciphertext must be clean refusals.
 */
import { randomBytes } from 'node:crypto';
import { encryptAssertion } from '../../core/idp/response-signing.js';
import { NS } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { buildEvilAssertion, editXml, encodeXml, findElement, parseRawXml, setText, signWith } from '../xml-craft.js';

/** Encrypted-assertion forgeries and damage. */
export const encryptionCases: ConformanceCase[] = [
  {
    id: 'encrypted-unsigned-assertion',
    title: "An unsigned assertion for the victim, encrypted to the SP's public encryption certificate",
    reference: 'SAML Core 6.2; Profiles 4.1.3.5',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_MISSING',
    build: (kit) => ({
      samlResponse: kit.respond({ nameId: { value: kit.victim }, signing: { option: 'none' }, encryption: { cert: kit.spEncryptionCert } })
        .base64,
    }),
  },
  {
    id: 'encrypted-attacker-signed-assertion',
    title: "An assertion for the victim signed with the attacker's key, then encrypted to the SP",
    reference: 'Certificate faking (Somorovsky et al. 2012); SAML Core 6.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_UNTRUSTED_CERT',
    build: (kit) => {
      const built = kit.respond({ nameId: { value: kit.victim }, signing: { option: 'none' } });
      const signed = signWith(built.xml, kit.attacker, { id: built.assertionId, localName: 'Assertion' });
      return { samlResponse: encodeXml(encryptAssertion(signed, { assertionId: built.assertionId, cert: kit.spEncryptionCert })) };
    },
  },
  {
    id: 'encrypted-rsa-1_5-key-transport',
    title: 'A genuine assertion encrypted with RSA PKCS#1 v1.5 key transport',
    reference: 'Jager, Schinzel, Somorovsky 2012 (Bleichenbacher on XML Encryption)',
    expected: 'refused',
    expectedCode: 'SP_DECRYPTION_FAILED',
    build: (kit) => ({ samlResponse: kit.respond({ encryption: { cert: kit.spEncryptionCert, keyTransport: 'rsa-1_5' } }).base64 }),
  },
  {
    id: 'encrypted-ciphertext-damaged',
    title: 'A genuine encrypted assertion whose ciphertext was replaced by random bytes',
    reference: 'XML Encryption 1.1 section 4.2; Jager & Somorovsky 2011 (CBC)',
    expected: 'refused',
    expectedCode: 'SP_DECRYPTION_FAILED',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond({ encryption: { cert: kit.spEncryptionCert } }).xml, (doc) => {
          const values = doc.getElementsByTagNameNS(NS.xenc, 'CipherValue');
          setText(values.item(values.length - 1) as Element, randomBytes(512).toString('base64'));
        }),
      ),
    }),
  },
  {
    id: 'encrypted-for-another-key',
    title: "A genuine assertion encrypted to someone else's certificate",
    reference: 'SAML Core 6.2',
    expected: 'refused',
    expectedCode: 'SP_DECRYPTION_FAILED',
    build: (kit) => ({ samlResponse: kit.respond({ encryption: { cert: kit.attacker.cert } }).base64 }),
  },
  {
    id: 'encrypted-response-signed-tampered',
    title: 'Response signed over an encrypted assertion; the EncryptedAssertion swapped for one the attacker encrypted',
    reference: 'XML-DSig 3.2.1; SAML Core 6.2',
    expected: 'refused',
    expectedCode: 'SP_SIGNATURE_DIGEST_MISMATCH',
    build: (kit) => {
      const evil = kit.respond({
        nameId: { value: kit.victim },
        signing: { option: 'none' },
        encryption: { cert: kit.spEncryptionCert },
      }).xml;
      const genuine = kit.respond({ signing: { option: 'response' }, encryption: { cert: kit.spEncryptionCert } }).xml;
      return {
        samlResponse: encodeXml(
          editXml(genuine, (doc) => {
            const replacement = doc.importNode(findElement(parseRawXml(evil), NS.saml, 'EncryptedAssertion'), true);
            const original = findElement(doc, NS.saml, 'EncryptedAssertion');
            original.parentNode?.replaceChild(replacement, original);
          }),
        ),
      };
    },
  },
  {
    id: 'encrypted-xsw4',
    title: "XSW4 inside encryption: an evil assertion holding the genuine signed one, encrypted to the SP's public certificate",
    reference: 'XSW4 (Somorovsky et al. 2012); SAML Core 6.2',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_COUNT',
    build: (kit) => {
      const built = kit.respond();
      const evilId = kit.newId();
      const wrapped = editXml(built.xml, (doc) => {
        const genuine = findElement(doc, NS.saml, 'Assertion');
        const evil = buildEvilAssertion(genuine, evilId, kit.victim);
        genuine.parentNode?.replaceChild(evil, genuine);
        evil.appendChild(genuine);
      });
      return { samlResponse: encodeXml(encryptAssertion(wrapped, { assertionId: evilId, cert: kit.spEncryptionCert })) };
    },
  },
];
