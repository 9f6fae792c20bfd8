import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('directory-user', 'User exists in the internal directory', 'Mimecast: users match on primary email address');

/** The NameID, compared case-insensitively in ASCII only (A-Z), is an address in the account's internal directory. */
export const checkDirectoryUser: Check = (ctx) => {
  const nameId = ctx.facts.assertion?.nameId?.value;
  if (!nameId) return check.skip('No NameID to look up.');
  if (ctx.directoryUser === undefined) return check.skip('No internal directory here (offline check).', { received: nameId });
  if (ctx.directoryUser === null)
    return check.fail('SP_USER_NOT_FOUND', { expected: `an address in ${ctx.account?.code ?? 'the account'}`, received: nameId });
  return check.pass(`Matched ${ctx.directoryUser.email} (${ctx.directoryUser.roles.join(', ') || 'no admin role'}).`, { received: nameId });
};
