import { findBearerConfirmation } from './bearer.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('recipient', "Recipient is this SP's ACS", 'SAML Profiles 4.1.4.2, 4.1.4.3');

/** The bearer SubjectConfirmationData's Recipient names this ACS (local, or production when accepted). */
export const checkRecipient: Check = (ctx) => {
  const bearer = findBearerConfirmation(ctx.facts.assertion);
  if (!bearer) return check.skip('No bearer SubjectConfirmation to read.');
  const { local, production } = ctx.acsUrls;
  const expected = production ? `${local} or ${production}` : local;
  const received = bearer.recipient;
  if (!received) return check.fail('SP_RECIPIENT_MISSING', { expected });
  if (received === local) return check.pass('Recipient is the local ACS URL.', { expected, received });
  if (production && received === production)
    return check.pass('Recipient is the production Reply URL (accepted by configuration).', { expected, received });
  return check.fail('SP_RECIPIENT_MISMATCH', { expected, received });
};
