import { trimXmlSpace } from '../../saml/xml-space.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck(
  'node-saml',
  "node-saml's verdict, and that it read the same assertion",
  '@node-saml/node-saml validatePostResponseAsync',
);

/**
 * node-saml's own validation of the document the SP consumes — signature, conditions and audience —
 * as a second, independent gate. Both must accept, and node-saml must have read the same assertion
 * (ID) and the same NameID as the SP: two readers that see two documents is how signature wrapping
 * works, so a disagreement is a failure of its own. It never decides alone, and it never lets the
 * SP's own checks skip a step.
 */
export const checkNodeSaml: Check = (ctx) => {
  const verdict = ctx.nodeSaml;
  if (!verdict) return check.skip('Not run: no profile certificates to give it, or the message was refused before it could be read.');
  const note = verdict.timeChecksDelegated
    ? " Its time checks were off because the clock is frozen; the 'timestamps' check applies them."
    : '';
  if (!verdict.accepted) {
    return check.fail('SP_NODE_SAML_REJECTED', {
      received: verdict.error ?? 'rejected',
      message: `node-saml refused the response: ${verdict.error ?? ''}${note}`,
    });
  }
  const ours = ctx.facts.assertion;
  const expected = `assertion ${ours?.id ?? '(none)'} for ${ours?.nameId?.value ?? '(no NameID)'}`;
  const theirs = verdict.consumed;
  // The same trim as the SP's reading (XML white space only), or a look-alike padded with U+00A0 would agree.
  const theirNameId = theirs?.nameId == null ? null : trimXmlSpace(theirs.nameId);
  const received = `assertion ${theirs?.assertionId ?? '(none)'} for ${theirNameId ?? '(no NameID)'}`;
  if (!theirs || !ours || theirs.assertionId !== ours.id || theirNameId !== (ours.nameId?.value ?? null)) {
    return check.fail('SP_NODE_SAML_DISAGREES', { expected, received });
  }
  return check.pass(`node-saml accepted the response and read the same assertion and NameID.${note}`, { received });
};
