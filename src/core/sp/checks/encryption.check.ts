import { type Check, describeCheck } from './check-context.js';

const check = describeCheck(
  'encryption',
  'Encrypted assertion has the one accepted shape and decrypts',
  'SAML Core 2.3.4, 6.2; XML-Enc 3.4–3.5',
);

/**
 * When the message carries encrypted content, it is exactly one saml:EncryptedAssertion directly
 * under the Response, with one xenc:EncryptedData and one xenc:EncryptedKey (in its KeyInfo, or beside
 * it by RetrievalMethod), and nothing else encrypted anywhere; and it decrypts with this SP's key.
 * Any decoy refuses the message, so no second reader can decrypt a different assertion. A message in
 * the accepted shape is then refused unless the profile accepts encrypted assertions: Mimecast's
 * public SSO documentation describes no encryption certificate (inferred: it does not decrypt).
 */
export const checkEncryption: Check = (ctx) => {
  const e = ctx.encrypted;
  if (!e) return check.skip('The assertion was not encrypted.');
  if (e.refused) return check.fail('SP_ENCRYPTION_SHAPE', { received: e.refused });
  // The account the decrypted assertion resolves to must accept encryption too, not only the one its
  // readable parts pointed at before decryption.
  if (e.notEnabled || ctx.profile?.acceptEncryptedAssertions !== true) {
    return check.fail('SP_ENCRYPTION_NOT_ENABLED', { expected: 'an unencrypted assertion', received: 'saml:EncryptedAssertion' });
  }
  if (e.decrypted) return check.pass("The assertion was encrypted in the accepted shape and decrypted once with this SP's encryption key.");
  return check.fail(e.code ?? 'SP_DECRYPTION_FAILED', { received: e.error ?? 'unknown error' });
};
