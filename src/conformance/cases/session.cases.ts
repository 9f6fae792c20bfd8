/**
 * State the SP keeps between messages: pending SP-initiated requests (answered once, before they
 * expire, by the signed confirmation), used assertion IDs, and the profile's policy on unsolicited
 * responses and requested authentication contexts.
 */
import { AUTHN_CONTEXT } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { editXml, encodeXml } from '../xml-craft.js';

/** Pending requests, replay and profile policy. */
export const sessionCases: ConformanceCase[] = [
  {
    id: 'unsigned-in-response-to-tampered',
    title: 'InResponseTo of the unsigned Response moved to another live request',
    reference: 'SAML Profiles 4.1.4.2, 4.1.4.3',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_INCONSISTENT',
    build: (kit) => {
      const [answered, other] = [kit.newId(), kit.newId()];
      return {
        samlResponse: encodeXml(
          editXml(kit.respond({ inResponseTo: answered }).xml, (doc) =>
            (doc.documentElement as Element).setAttribute('InResponseTo', other),
          ),
        ),
        before: async (sp) => {
          await sp.startSignIn(answered);
          await sp.startSignIn(other);
        },
      };
    },
  },
  {
    id: 'unsigned-in-response-to-added-to-unsolicited',
    title:
      'An unsolicited assertion passed off as an answer: InResponseTo of a live request added to the unsigned Response only, with IdP-initiated sign-in off',
    reference: 'SAML Profiles 4.1.4.2, 4.1.5',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_INCONSISTENT',
    build: (kit) => {
      const live = kit.newId();
      return {
        samlResponse: encodeXml(editXml(kit.respond().xml, (doc) => (doc.documentElement as Element).setAttribute('InResponseTo', live))),
        before: async (sp) => {
          await sp.updateProfile({ allowSingleSignOn: false });
          await sp.startSignIn(live);
        },
      };
    },
  },
  {
    id: 'replay-consumed-response',
    title: 'The very response that just signed in, posted again',
    reference: 'SAML Profiles 4.1.4.5',
    expected: 'refused',
    expectedCode: 'SP_REPLAY',
    build: (kit) => {
      const samlResponse = kit.respond().base64;
      return { samlResponse, before: (sp) => sp.signIn(samlResponse) };
    },
  },
  {
    id: 'replay-assertion-rewrapped',
    title: 'An assertion that already signed in, re-wrapped in a new unsigned Response with a new ID',
    reference: 'SAML Profiles 4.1.4.5',
    expected: 'refused',
    expectedCode: 'SP_REPLAY',
    build: (kit) => {
      const first = kit.respond();
      return {
        samlResponse: encodeXml(editXml(first.xml, (doc) => (doc.documentElement as Element).setAttribute('ID', kit.newId()))),
        before: (sp) => sp.signIn(first.base64),
      };
    },
  },
  {
    id: 'in-response-to-unknown',
    title: 'InResponseTo names a request this SP never sent',
    reference: 'SAML Profiles 4.1.4.3',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_UNKNOWN',
    build: (kit) => ({ samlResponse: kit.respond({ inResponseTo: kit.newId() }).base64 }),
  },
  {
    id: 'in-response-to-reused',
    title: 'A second response answering a request that was already answered',
    reference: 'SAML Profiles 4.1.4.3',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_UNKNOWN',
    build: (kit) => {
      const request = kit.newId();
      const first = kit.respond({ inResponseTo: request }).base64;
      return {
        samlResponse: kit.respond({ inResponseTo: request }).base64,
        before: async (sp) => {
          await sp.startSignIn(request);
          await sp.signIn(first);
        },
      };
    },
  },
  {
    id: 'in-response-to-expired',
    title: 'The answer to a request arrives after the pending-request lifetime (10 min)',
    reference: 'SAML Profiles 4.1.4.3',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_EXPIRED',
    build: (kit) => {
      const request = kit.newId();
      return { samlResponse: kit.respond({ inResponseTo: request }).base64, before: (sp) => sp.startSignIn(request), now: 600_000 + 1_000 };
    },
  },
  {
    id: 'idp-initiated-not-allowed',
    title: "An unsolicited response while the profile's Allow Single Sign On is off",
    reference: 'SAML Profiles 4.1.5; Mimecast "Allow Single Sign On"',
    expected: 'refused',
    expectedCode: 'SP_IDP_INITIATED_DISABLED',
    build: (kit) => ({ samlResponse: kit.respond().base64, before: (sp) => sp.updateProfile({ allowSingleSignOn: false }) }),
  },
  {
    id: 'authn-context-not-requested',
    title: 'A Password context answering a request for PasswordProtectedTransport (Comparison exact)',
    reference: 'SAML Core 3.3.2.2.1',
    expected: 'refused',
    expectedCode: 'SP_AUTHN_CONTEXT_MISMATCH',
    build: (kit) => {
      const request = kit.newId();
      return {
        samlResponse: kit.respond({ inResponseTo: request, authnContextClassRef: AUTHN_CONTEXT.password }).base64,
        before: async (sp) => {
          await sp.updateProfile({ usePasswordProtectedContext: true });
          await sp.startSignIn(request);
        },
      };
    },
  },
  {
    id: 'cross-account-request-id',
    title: "A request id from the attacker's own account on this SP, answered with an assertion aimed at the victim's account",
    reference: 'SAML Profiles 4.1.4.3; multi-tenant isolation',
    expected: 'refused',
    expectedCode: 'SP_IN_RESPONSE_TO_WRONG_ACCOUNT',
    build: (kit) => {
      const request = kit.newId();
      const attackerIssuer = 'https://sts.windows.net/6a6b6c6d-0000-4000-8000-a77ac6e4e4e4/';
      return {
        samlResponse: kit.respond({
          issuer: attackerIssuer,
          inResponseTo: request,
          nameId: { value: kit.victim },
          signing: { key: kit.attacker.key, cert: kit.attacker.cert },
        }).base64,
        before: async (sp) => {
          // The attacker runs a Mimecast account of their own on the same SP, trusting their own IdP.
          await sp.addAccount({
            code: 'CUK66A66',
            domains: ['attacker.example'],
            issuer: attackerIssuer,
            cert: kit.attacker.cert,
            users: [kit.victim],
          });
          await sp.startSignIn(request, 'CUK66A66');
        },
      };
    },
  },
];
