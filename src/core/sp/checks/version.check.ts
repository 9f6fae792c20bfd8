import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('version', 'Message is SAML 2.0', 'SAML Core 3.2.2, 2.3.3 (Version="2.0")');

/** The Response and its assertion both declare Version="2.0". */
export const checkVersion: Check = (ctx) => {
  const versions = { Response: ctx.facts.version, Assertion: ctx.facts.assertion ? ctx.facts.assertion.version : '2.0' };
  const wrong = Object.entries(versions).filter(([, v]) => v !== '2.0');
  const received = Object.entries(versions)
    .map(([k, v]) => `${k}: ${v ?? '(none)'}`)
    .join(', ');
  if (wrong.length > 0) return check.fail('SP_VERSION_UNSUPPORTED', { expected: '2.0', received });
  return check.pass('SAML 2.0.', { expected: '2.0', received });
};
