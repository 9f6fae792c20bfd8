import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('destination', "Destination is this SP's ACS", 'SAML Bindings 3.5.5.2');

/**
 * The Response's Destination names this ACS (the local URL, or the production Reply URL when that is
 * accepted). A missing Destination is a warning: Entra always sends one.
 */
export const checkDestination: Check = (ctx) => {
  const { local, production } = ctx.acsUrls;
  const expected = production ? `${local} or ${production}` : local;
  const received = ctx.facts.destination;
  if (received === null) return check.warn('SP_DESTINATION_MISSING', { expected });
  if (received === local) return check.pass('Destination is the local ACS URL.', { expected, received });
  if (production && received === production) {
    return check.pass('Destination is the production Reply URL (accepted by configuration).', { expected, received });
  }
  return check.fail('SP_DESTINATION_MISMATCH', { expected, received });
};
