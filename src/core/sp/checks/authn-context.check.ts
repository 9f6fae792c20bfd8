import { type Check, describeCheck } from './check-context.js';

const check = describeCheck(
  'authn-context',
  'Authentication context is the one requested',
  'SAML Core 3.3.2.2.1 (RequestedAuthnContext, Comparison exact)',
);

/**
 * When the request asked for contexts (the profile's "Use Password protected Context" / "Use Integrated
 * Authentication Context", Comparison exact), the assertion's AuthnContextClassRef is one of them.
 */
export const checkAuthnContext: Check = (ctx) => {
  const received = ctx.facts.assertion?.authn?.classRef ?? undefined;
  const requested = ctx.pending?.requestedAuthnContexts;
  if (!ctx.pending || !requested || requested.length === 0) {
    return check.skip(
      ctx.pending ? 'The request asked for no particular context.' : 'No request to compare with (IdP-initiated or offline).',
      { received },
    );
  }
  const expected = `${requested.join(' or ')} (exact)`;
  if (received && requested.includes(received))
    return check.pass('The IdP authenticated with a requested context.', { expected, received });
  return check.fail('SP_AUTHN_CONTEXT_MISMATCH', { expected, received: received ?? '(none)' });
};
