/**
 * Time windows (SAML Core 2.5.1.2, 2.4.1.2): expired, not yet valid, both skew boundaries to the
 * millisecond, the bearer confirmation's own window, and instants that are not SAML dateTimes.
 * The baseline is valid from IssueInstant − 5 min to IssueInstant + 60 min; the SP allows 180 s skew.
 */
import { NS } from '../../core/saml/constants.js';
import type { ConformanceCase } from '../types.js';
import { findElement } from '../xml-craft.js';

const MINUTE = 60_000;
const SKEW = 3 * MINUTE;
const LIFETIME = 60 * MINUTE;
const NOT_BEFORE_SKEW = 5 * MINUTE;

/** Time windows and their boundaries. */
export const timeCases: ConformanceCase[] = [
  {
    id: 'time-expired',
    title: 'Posted a minute after NotOnOrAfter + skew',
    reference: 'SAML Core 2.5.1.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_EXPIRED',
    build: (kit) => ({ samlResponse: kit.respond().base64, now: LIFETIME + SKEW + MINUTE }),
  },
  {
    id: 'time-expired-at-skew-boundary',
    title: 'Posted at exactly NotOnOrAfter + skew (NotOnOrAfter is exclusive)',
    reference: 'SAML Core 2.5.1.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_EXPIRED',
    build: (kit) => ({ samlResponse: kit.respond().base64, now: LIFETIME + SKEW }),
  },
  {
    id: 'time-one-ms-inside-skew',
    title: 'Posted one millisecond before NotOnOrAfter + skew',
    reference: 'SAML Core 2.5.1.2',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond().base64, now: LIFETIME + SKEW - 1 }),
  },
  {
    id: 'time-not-yet-valid',
    title: "Issued 30 minutes in the SP's future",
    reference: 'SAML Core 2.5.1.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_NOT_YET_VALID',
    build: (kit) => ({ samlResponse: kit.respond({ issueInstant: new Date(kit.now.getTime() + 30 * MINUTE) }).base64 }),
  },
  {
    id: 'time-not-before-at-skew-boundary',
    title: 'NotBefore exactly now + skew (NotBefore is inclusive)',
    reference: 'SAML Core 2.5.1.2',
    expected: 'accepted',
    build: (kit) => ({ samlResponse: kit.respond({ issueInstant: new Date(kit.now.getTime() + NOT_BEFORE_SKEW + SKEW) }).base64 }),
  },
  {
    id: 'time-not-before-one-ms-beyond-skew',
    title: 'NotBefore one millisecond after now + skew',
    reference: 'SAML Core 2.5.1.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_NOT_YET_VALID',
    build: (kit) => ({ samlResponse: kit.respond({ issueInstant: new Date(kit.now.getTime() + NOT_BEFORE_SKEW + SKEW + 1) }).base64 }),
  },
  {
    id: 'time-confirmation-expired',
    title: 'The bearer confirmation expired (5 min) while Conditions are still valid',
    reference: 'SAML Core 2.4.1.2; Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_EXPIRED',
    build: (kit) => ({ samlResponse: kit.respond({ confirmationLifetimeMs: 5 * MINUTE }).base64, now: 5 * MINUTE + SKEW + MINUTE }),
  },
  {
    id: 'time-confirmation-not-on-or-after-missing',
    title: 'The bearer SubjectConfirmationData has no NotOnOrAfter (signed that way)',
    reference: 'SAML Profiles 4.1.4.2',
    expected: 'refused',
    expectedCode: 'SP_TIME_MISSING',
    build: (kit) => ({
      samlResponse: kit.respond({
        beforeSign: (doc) => findElement(doc, NS.saml, 'SubjectConfirmationData').removeAttribute('NotOnOrAfter'),
      }).base64,
    }),
  },
  {
    id: 'time-without-time-zone',
    title: 'Conditions NotOnOrAfter without a time zone (local time is ambiguous), signed that way',
    reference: 'SAML Core 1.3.3 (UTC dateTime)',
    expected: 'refused',
    expectedCode: 'SP_TIME_MISSING',
    build: (kit) => ({
      samlResponse: kit.respond({
        beforeSign: (doc) =>
          findElement(doc, NS.saml, 'Conditions').setAttribute(
            'NotOnOrAfter',
            new Date(kit.now.getTime() + LIFETIME).toISOString().replace(/\.\d+Z$/, ''),
          ),
      }).base64,
    }),
  },
];
