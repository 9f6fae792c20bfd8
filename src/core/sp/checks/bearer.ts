import { SUBJECT_CONFIRMATION } from '../../saml/constants.js';
import type { AssertionFacts, ConfirmationFacts } from '../response-facts.js';

/** The bearer SubjectConfirmation the Web Browser SSO profile is about (SAML Profiles 4.1.4.2). */
export function findBearerConfirmation(assertion: AssertionFacts | null): ConfirmationFacts | null {
  return assertion?.confirmations.find((c) => c.method === SUBJECT_CONFIRMATION.bearer) ?? null;
}
