/**
 * Protocol rules about who a response is for: unsigned Response fields an attacker can rewrite, and
 * genuine responses aimed at another SP, another account or another tenant, or confirmed by anything
 * but bearer. RelayState must never send a signed-in user off-site.
 */
import { NS, STATUS, SUBJECT_CONFIRMATION } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { detach, editXml, encodeXml, findChild, findElement, setText } from '../xml-craft.js';

const OTHER_TENANT_ISSUER = 'https://sts.windows.net/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/';
const OTHER_ACCOUNT_IDENTIFIER = 'https://eu-api.mimecast.com/sso/CUK99X99';
const FOREIGN_ACS = 'https://sp.attacker.example/login/saml';

/** Responses for someone else, tampered unsigned fields, and RelayState. */
export const protocolCases: ConformanceCase[] = [
  {
    id: 'unsigned-destination-tampered',
    title: 'Destination of the unsigned Response rewritten to another SP',
    reference: 'SAML Bindings 3.5.5.2',
    expected: 'refused',
    expectedCode: 'SP_DESTINATION_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => (doc.documentElement as Element).setAttribute('Destination', FOREIGN_ACS)),
      ),
    }),
  },
  {
    id: 'unsigned-issuer-tampered',
    title: 'Issuer of the unsigned Response rewritten to another tenant',
    reference: 'SAML Core 3.2.2; Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_ISSUER_MISMATCH',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) =>
          setText(findChild(doc.documentElement as Element, NS.saml, 'Issuer') as Element, OTHER_TENANT_ISSUER),
        ),
      ),
    }),
  },
  {
    id: 'unsigned-status-error-flipped-to-success',
    title: 'An AADSTS error response whose unsigned StatusCode was flipped to Success',
    reference: 'SAML Core 3.2.2.2',
    expected: 'refused',
    expectedCode: 'SP_ASSERTION_MISSING',
    build: (kit) => {
      const error = kit.respond({
        status: {
          code: STATUS.requester,
          subCode: STATUS.requestDenied,
          message: 'AADSTS50105: The signed in user is not assigned to a role for the application.',
        },
      });
      return {
        samlResponse: encodeXml(
          editXml(error.xml, (doc) => {
            const code = findElement(doc, NS.samlp, 'StatusCode');
            code.setAttribute('Value', STATUS.success);
            const sub = findChild(code, NS.samlp, 'StatusCode');
            if (sub) detach(sub);
            detach(findElement(doc, NS.samlp, 'StatusMessage'));
          }),
        ),
      };
    },
  },
  {
    id: 'unsigned-status-tampered',
    title: 'StatusCode of the unsigned Response rewritten to Responder',
    reference: 'SAML Core 3.2.2.2',
    expected: 'refused',
    expectedCode: 'SP_STATUS_NOT_SUCCESS',
    build: (kit) => ({
      samlResponse: encodeXml(
        editXml(kit.respond().xml, (doc) => findElement(doc, NS.samlp, 'StatusCode').setAttribute('Value', STATUS.responder)),
      ),
    }),
  },
  {
    id: 'wrong-audience',
    title: 'A genuine response whose Audience is another Mimecast account',
    reference: 'SAML Core 2.5.1.4',
    expected: 'refused',
    expectedCode: 'SP_AUDIENCE_MISMATCH',
    build: (kit) => ({ samlResponse: kit.respond({ audience: OTHER_ACCOUNT_IDENTIFIER }).base64 }),
  },
  {
    id: 'audience-restrictions-conjunction',
    title: 'A second AudienceRestriction naming only another SP (restrictions are a conjunction)',
    reference: 'SAML Core 2.5.1.4',
    expected: 'refused',
    expectedCode: 'SP_AUDIENCE_MISMATCH',
    build: (kit) => ({
      samlResponse: kit.respond({
        beforeSign: (doc) => {
          const restriction = doc.createElementNS(NS.saml, 'AudienceRestriction');
          const audience = doc.createElementNS(NS.saml, 'Audience');
          audience.appendChild(doc.createTextNode(OTHER_ACCOUNT_IDENTIFIER));
          restriction.appendChild(audience);
          findElement(doc, NS.saml, 'Conditions').appendChild(restriction);
        },
      }).base64,
    }),
  },
  {
    id: 'wrong-recipient',
    title: 'A genuine response whose bearer Recipient is another SP',
    reference: 'SAML Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_RECIPIENT_MISMATCH',
    build: (kit) => ({ samlResponse: kit.respond({ recipient: FOREIGN_ACS }).base64 }),
  },
  {
    id: 'wrong-destination-signed',
    title: 'A Response signed with another Destination (Recipient correct)',
    reference: 'SAML Bindings 3.5.5.2',
    expected: 'refused',
    expectedCode: 'SP_DESTINATION_MISMATCH',
    build: (kit) => ({
      samlResponse: kit.respond({ destination: FOREIGN_ACS, recipient: kit.acsUrl, signing: { option: 'response-and-assertion' } }).base64,
    }),
  },
  {
    id: 'wrong-issuer',
    title: 'A response signed by the trusted key but issued as another tenant',
    reference: 'SAML Core 2.3.3; Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_ISSUER_MISMATCH',
    build: (kit) => ({ samlResponse: kit.respond({ issuer: OTHER_TENANT_ISSUER }).base64 }),
  },
  {
    id: 'holder-of-key-confirmation',
    title: 'SubjectConfirmation by holder-of-key instead of bearer',
    reference: 'SAML Profiles 4.1.4.2; Holder-of-Key profile',
    expected: 'refused',
    expectedCode: 'SP_SUBJECT_CONFIRMATION_NOT_BEARER',
    build: (kit) => ({ samlResponse: kit.respond({ confirmationMethod: SUBJECT_CONFIRMATION.holderOfKey }).base64 }),
  },
  {
    id: 'relay-state-absolute-url',
    title: 'A genuine response with RelayState https://attacker.example/: signs in, lands on the portal, not the attacker',
    reference: 'SAML Bindings 3.5.3; CWE-601 (open redirect)',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond().base64, relayState: 'https://attacker.example/' }),
  },
  {
    id: 'relay-state-protocol-relative',
    title: 'A genuine response with RelayState //attacker.example/portal: signs in, lands on the portal',
    reference: 'SAML Bindings 3.5.3; CWE-601 (open redirect)',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond().base64, relayState: '//attacker.example/portal' }),
  },
  {
    id: 'relay-state-header-injection',
    title: 'A genuine response with a RelayState carrying CR LF and a Set-Cookie header: signs in, lands on the portal',
    reference: 'SAML Bindings 3.5.3; CWE-113 (response splitting)',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond().base64, relayState: '/portal\r\nSet-Cookie: mm.sid=planted' }),
  },
];
