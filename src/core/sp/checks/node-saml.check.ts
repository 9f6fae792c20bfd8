import { describeCheck, type Check } from './check-context.js';

const check = describeCheck('node-saml', "node-saml's verdict", '@node-saml/node-saml validatePostResponseAsync');

/**
 * node-saml's own validation of the same message — signature, conditions and audience — as a second,
 * independent gate. It never decides alone: it accepts faults the other checks catch.
 */
export const checkNodeSaml: Check = (ctx) => {
  if (!ctx.nodeSaml) return check.skip('Not run: no profile certificates to give it.');
  const note = ctx.nodeSaml.timeChecksDelegated ? " Its time checks were off because the clock is frozen; the 'timestamps' check applies them." : '';
  if (ctx.nodeSaml.accepted) return check.pass(`node-saml accepted the response.${note}`);
  return check.fail('SP_NODE_SAML_REJECTED', { received: ctx.nodeSaml.error ?? 'rejected', message: `node-saml refused the response: ${ctx.nodeSaml.error ?? ''}${note}` });
};
