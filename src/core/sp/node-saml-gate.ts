import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';

export interface NodeSamlGateOptions {
  certificates: string[];
  audience: string;
  acsUrl: string;
  skewMs: number;
  /** node-saml reads the wall clock; with a frozen clock its time checks would judge the wrong "now". */
  clockFrozen: boolean;
  decryptionKey: string | null;
}

/**
 * Runs node-saml's validatePostResponseAsync on the original message, as an independent second
 * opinion on signature, conditions and audience. InResponseTo is the SP's own check (server-side
 * pending store), so node-saml's cache is not used.
 */
export async function runNodeSamlGate(
  samlResponse: string,
  options: NodeSamlGateOptions,
): Promise<{ accepted: boolean; error: string | null; timeChecksDelegated: boolean }> {
  try {
    const saml = new SAML({
      idpCert: options.certificates,
      issuer: options.audience,
      audience: options.audience,
      callbackUrl: options.acsUrl,
      // Entra's "Sign SAML response" option signs only the Response; node-saml then requires either.
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: options.clockFrozen ? -1 : options.skewMs,
      validateInResponseTo: ValidateInResponseTo.never,
      ...(options.decryptionKey ? { decryptionPvk: options.decryptionKey } : {}),
    });
    await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    return { accepted: true, error: null, timeChecksDelegated: options.clockFrozen };
  } catch (error) {
    return { accepted: false, error: error instanceof Error ? error.message : String(error), timeChecksDelegated: options.clockFrozen };
  }
}
