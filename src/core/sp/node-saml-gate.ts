import type { SAML } from '@node-saml/node-saml';
import { describeCertificateCached, readPublicKeyCached } from '../saml/certificate-cache.js';
import { loadNodeSaml } from './node-saml-module.js';

/** What node-saml is asked to judge, and with what. */
export interface NodeSamlGateInput {
  /** The base64 document node-saml validates: the message as received, or the decrypted Response. */
  samlResponse: string;
  certificates: string[];
  audience: string;
  acsUrl: string;
  skewMs: number;
  /** node-saml reads the wall clock; with a frozen clock its time checks would judge the wrong "now". */
  clockFrozen: boolean;
  /** Given only when node-saml must decrypt itself (a signed Response over its EncryptedAssertion). */
  decryptionKey: string | null;
}

/** node-saml's verdict, and who it says signed in: the SP compares that with what it consumed. */
export interface NodeSamlVerdict {
  accepted: boolean;
  error: string | null;
  timeChecksDelegated: boolean;
  /** The NameID and assertion ID node-saml read from the assertion it accepted. */
  consumed: { nameId: string | null; assertionId: string | null } | null;
}

/** An independent second validator of the SP's own; one per SP app, sharing nothing with another. */
export interface NodeSamlGate {
  validate(input: NodeSamlGateInput): Promise<NodeSamlVerdict>;
  /** Drops the cached node-saml instances. */
  close(): void;
}

const MAX_INSTANCES = 64;

/**
 * Builds the node-saml gate. It keeps a bounded cache of node-saml instances keyed by their options:
 * building one costs as much as a small part of a validation, and with validateInResponseTo off an
 * instance keeps no per-message state. Each instance's key source answers with the profile's public
 * keys parsed once (xml-crypto's `publicCert` takes a KeyObject; node-saml would hand it PEM text that
 * Node re-parses on every verification). That reaches one node-saml method, `getKeyInfosAsPem`,
 * pinned by test/unit/sp/node-saml-gate.test.ts together with the node-saml version; should a
 * release treat the keys as text, validation throws and the gate refuses (fails closed).
 */
export function createNodeSamlGate(): NodeSamlGate {
  const instances = new Map<string, SAML>();

  async function instanceFor(input: NodeSamlGateInput): Promise<SAML> {
    const key = JSON.stringify([input.certificates, input.audience, input.acsUrl, input.skewMs, input.clockFrozen, input.decryptionKey]);
    const hit = instances.get(key);
    if (hit) return hit;
    const { SAML, ValidateInResponseTo } = await loadNodeSaml();
    const saml = new SAML({
      idpCert: input.certificates,
      issuer: input.audience,
      audience: input.audience,
      callbackUrl: input.acsUrl,
      // Entra's "Sign SAML response" option signs only the Response; node-saml then requires either.
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: input.clockFrozen ? -1 : input.skewMs,
      validateInResponseTo: ValidateInResponseTo.never,
      ...(input.decryptionKey ? { decryptionPvk: input.decryptionKey } : {}),
    });
    useParsedKeys(saml, input.certificates);
    if (instances.size >= MAX_INSTANCES) instances.delete(instances.keys().next().value as string);
    instances.set(key, saml);
    return saml;
  }

  return {
    async validate(input) {
      const timeChecksDelegated = input.clockFrozen;
      try {
        const { profile } = await (await instanceFor(input)).validatePostResponseAsync({ SAMLResponse: input.samlResponse });
        const consumed = profile ? { nameId: profile.nameID ?? null, assertionId: readAssertionId(profile.getAssertion?.()) } : null;
        return { accepted: true, error: null, timeChecksDelegated, consumed };
      } catch (error) {
        return { accepted: false, error: error instanceof Error ? error.message : String(error), timeChecksDelegated, consumed: null };
      }
    },
    close() {
      instances.clear();
    },
  };
}

function useParsedKeys(saml: SAML, certificates: string[]): void {
  // Profiles may hold bare base64 as well as PEM; text that is no certificate stays text, as before.
  const keys = certificates.map((text) => {
    try {
      return readPublicKeyCached(describeCertificateCached(text).pem);
    } catch {
      return text;
    }
  });
  (saml as unknown as { getKeyInfosAsPem(): Promise<unknown[]> }).getKeyInfosAsPem = async () => keys;
}

/** node-saml keeps the accepted assertion as an xml2js object: `{ Assertion: { $: { ID } } }`. */
function readAssertionId(parsed: unknown): string | null {
  const assertion = (parsed as { Assertion?: { $?: { ID?: unknown } } } | undefined)?.Assertion;
  const id = assertion?.$?.ID;
  return typeof id === 'string' ? id : null;
}
