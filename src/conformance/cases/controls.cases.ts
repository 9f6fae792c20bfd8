/**
 * Controls: genuine responses in every shape Entra sends, which must sign in. They prove the suite is
 * not passing simply because the SP refuses everything.
 */
import type { ConformanceCase } from '../types.js';

/** Genuine responses that must sign in. */
export const controlCases: ConformanceCase[] = [
  {
    id: 'control-assertion-signed',
    title: "Entra's default: assertion signed (RSA-SHA256), IdP-initiated",
    reference: 'SAML Profiles 4.1.3.5; Entra default',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond().base64 }),
  },
  {
    id: 'control-response-signed',
    title: 'Entra "Sign SAML response": only the Response signed',
    reference: 'SAML Core 5.4; Entra signing option',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond({ signing: { option: 'response' } }).base64 }),
  },
  {
    id: 'control-response-and-assertion-signed',
    title: 'Entra "Sign SAML response and assertion"',
    reference: 'SAML Core 5.4; Entra signing option',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond({ signing: { option: 'response-and-assertion' } }).base64 }),
  },
  {
    id: 'control-encrypted-assertion',
    title: 'Signed assertion encrypted to the SP (Entra token encryption, AES-256-CBC, RSA-OAEP)',
    reference: 'SAML Core 2.3.4, 6.2',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond({ encryption: { cert: kit.spEncryptionCert } }).base64 }),
  },
  {
    id: 'control-response-signed-encrypted',
    title: 'Entra "Sign SAML response" with token encryption: the Response signature covers the EncryptedAssertion',
    reference: 'SAML Core 5.4, 6.2; XML-DSig 3.2',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond({ signing: { option: 'response' }, encryption: { cert: kit.spEncryptionCert } }).base64 }),
  },
  {
    id: 'control-sp-initiated',
    title: 'SP-initiated: the answer to a live request from GET /sso/<code>',
    reference: 'SAML Profiles 4.1.4.3',
    expected: 'accepted',
    build: (kit) => {
      const request = kit.newId();
      return { samlResponse: kit.respond({ inResponseTo: request }).base64, before: (sp) => sp.startSignIn(request) };
    },
  },
];
