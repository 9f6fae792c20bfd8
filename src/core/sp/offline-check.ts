import { readAccountCodeFromIdentifier } from './account-identifier.js';
import type { Account, AuthProfile } from './accounts.js';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from './accounts.js';
import { type Evaluation, evaluateSamlResponse } from './evaluate.js';
import { createNodeSamlGate, type NodeSamlGate } from './node-saml-gate.js';
import type { ValidationSettings } from './validation-settings.js';

export interface OfflineCheckInput {
  /** Base64 SAMLResponse, as posted by the HTTP-POST binding. */
  samlResponse: string;
  /** PEM certificates trusted for signatures (from metadata or given). */
  certificates: string[];
  /** The IdP entity ID to expect; null skips the issuer comparison. */
  issuer: string | null;
  acsUrl: string;
  audience: string;
  now: Date;
  clockFrozen: boolean;
  /** The same settings the ACS judges by (src/config/validation.ts builds them from the configuration). */
  validation: ValidationSettings;
  decryptionKey: string | null;
  /** The second gate to use; a fresh one when not given. */
  gate?: NodeSamlGate;
}

/**
 * Checks a captured response without a running SP (`mock-mimecast check`): the same evaluation as the
 * ACS, against a profile made of the given certificates, issuer, ACS and audience. Pending requests,
 * used assertions and the directory are not known offline, so those checks skip.
 */
export async function checkCapturedResponse(input: OfflineCheckInput): Promise<Evaluation> {
  const code = readAccountCodeFromIdentifier(input.audience) ?? 'OFFLINE';
  const account: Account = { code, region: 'eu', name: 'offline check', domains: [], createdAt: input.now.toISOString() };
  const profile: AuthProfile = {
    ...buildDefaultProfile(code, input.now),
    ...TUTORIAL_PROFILE_SWITCHES,
    issuerUrl: input.issuer,
    idpCertificates: input.certificates,
    allowSingleSignOn: true,
    // A decryption key given to the offline check is a request to decrypt.
    acceptEncryptedAssertions: input.decryptionKey !== null,
  };
  return evaluateSamlResponse(input.samlResponse, {
    now: input.now,
    clockFrozen: input.clockFrozen,
    validation: input.validation,
    decryptionKey: input.decryptionKey,
    gate: input.gate ?? createNodeSamlGate(),
    resolve: async () => ({
      account,
      profile,
      resolvedBy: 'given',
      audiences: [input.audience],
      acsUrls: { local: input.acsUrl, production: null },
    }),
  });
}
