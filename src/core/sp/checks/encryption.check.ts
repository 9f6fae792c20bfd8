import { describeCheck, type Check } from './check-context.js';

const check = describeCheck('encryption', 'Encrypted assertion decrypts', 'SAML Core 2.3.4, 6.2');

/** When the assertion came encrypted, it decrypted with this SP's encryption key. */
export const checkEncryption: Check = (ctx) => {
  if (!ctx.encrypted) return check.skip('The assertion was not encrypted.');
  if (ctx.encrypted.decrypted) return check.pass("The assertion was encrypted and decrypted with this SP's encryption key.");
  return check.fail('SP_DECRYPTION_FAILED', { received: ctx.encrypted.error ?? 'unknown error' });
};
