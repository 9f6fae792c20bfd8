import type { LogoutMessageFacts } from '../../../saml/logout-messages.js';
import type { RedirectSignatureResult } from '../../../saml/redirect-signature.js';
import type { AuthProfile } from '../../accounts.js';

/** What the logout checks read; built once per message. */
export interface LogoutCheckContext {
  now: Date;
  skewMs: number;
  refuseSha1: boolean;
  facts: LogoutMessageFacts;
  profile: AuthProfile | null;
  /** This SP's logout URL: `<publicBaseUrl>/logout/saml`. */
  expectedDestination: string;
  signature: RedirectSignatureResult;
  /** True for a LogoutRequest: acting on an unsigned one would let anyone end a session. */
  signatureRequired: boolean;
}
