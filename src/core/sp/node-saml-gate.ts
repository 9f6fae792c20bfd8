import { createHash } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';

const MAX_INSTANCES = 64;
const instances = new Map<string, SAML>();

/**
 * node-saml instances keyed by their options. Building one costs as much as a small part of a
 * validation; with validateInResponseTo off an instance keeps no per-message state, so reusing one
 * for identical options is safe. Bounded, oldest out first.
 */
function reuseSaml(options: NodeSamlGateOptions, build: () => SAML): SAML {
  const key = createHash('sha256').update(JSON.stringify([options.certificates, options.audience, options.acsUrl, options.skewMs, options.clockFrozen, options.decryptionKey])).digest('hex');
  const hit = instances.get(key);
  if (hit) return hit;
  const saml = build();
  if (instances.size >= MAX_INSTANCES) instances.delete(instances.keys().next().value as string);
  instances.set(key, saml);
  return saml;
}

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
    const saml = reuseSaml(options, () => new SAML({
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
    }));
    await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    return { accepted: true, error: null, timeChecksDelegated: options.clockFrozen };
  } catch (error) {
    return { accepted: false, error: error instanceof Error ? error.message : String(error), timeChecksDelegated: options.clockFrozen };
  }
}
