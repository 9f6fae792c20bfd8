import { createRequire } from 'node:module';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { describeCertificateCached, readPublicKeyCached } from '../saml/certificate-cache.js';

const MAX_INSTANCES = 64;
const instances = new Map<string, SAML>();

/**
 * node-saml instances keyed by their options. Building one costs as much as a small part of a
 * validation; with validateInResponseTo off an instance keeps no per-message state, so reusing one
 * for identical options is safe. Bounded, oldest out first.
 */
function reuseSaml(options: NodeSamlGateOptions, build: () => SAML): SAML {
  // The options text itself is the key: hashing it for the Map is far cheaper than a digest of it.
  const key = JSON.stringify([options.certificates, options.audience, options.acsUrl, options.skewMs, options.clockFrozen, options.decryptionKey]);
  const hit = instances.get(key);
  if (hit) return hit;
  const saml = build();
  if (instances.size >= MAX_INSTANCES) instances.delete(instances.keys().next().value as string);
  instances.set(key, saml);
  return saml;
}

/**
 * node-saml parses the message it validates with `parseDomFromString` from its lib/xml module, read
 * from that module's exports at each call. The ACS has already parsed the very same text (the same
 * xmldom, stricter options), so it hands that document over instead of parsing a second time: one
 * parse per response, shared by every check. The hand-off is taken only for identical
 * text and only synchronously inside the call that set it (node-saml parses before its first await),
 * and everything else, including node-saml's later parses of signed or decrypted parts, goes to
 * node-saml's own parser. node-saml and xml-crypto only read the tree: xml-crypto clones a node before
 * any transform, and verifies digests on its own parse of the text. `parseHandOffs.taken` lets tests
 * prove the hand-off still happens with the node-saml in use; if a release stops looking the function
 * up this way, validation is unchanged and only the saving is lost.
 */
interface NodeSamlXmlModule {
  parseDomFromString(xml: string): Promise<Document>;
}
const nodeSamlXml = createRequire(import.meta.url)('@node-saml/node-saml/lib/xml.js') as NodeSamlXmlModule;
const parseByNodeSaml = nodeSamlXml.parseDomFromString;
let handOff: { xml: string; doc: Document } | null = null;
export const parseHandOffs = { offered: 0, taken: 0 };
nodeSamlXml.parseDomFromString = (xml: string): Promise<Document> => {
  const offered = handOff;
  handOff = null;
  if (offered && offered.xml === xml) {
    parseHandOffs.taken += 1;
    return Promise.resolve(offered.doc);
  }
  return parseByNodeSaml(xml);
};

/**
 * node-saml gives each trusted certificate to xml-crypto as PEM text, and Node parses that text again
 * on every signature it verifies: most of the cost of an RSA verification. The profile's certificates
 * are already parsed once into public keys for the ACS's own SignatureValue check, and xml-crypto's
 * `publicCert` takes a KeyObject as well as text, so this instance's key source answers with those:
 * the same keys, parsed once. Should a node-saml release treat them as text, validation throws and the
 * gate refuses (fails closed); the sign-in tests would show it at once.
 */
function useParsedKeys(saml: SAML, certificates: string[]): SAML {
  // Profiles may hold bare base64 as well as PEM; text that is no certificate stays text, as before.
  const keys = certificates.map((text) => {
    try {
      return readPublicKeyCached(describeCertificateCached(text).pem);
    } catch {
      return text;
    }
  });
  (saml as unknown as { getKeyInfosAsPem(): Promise<unknown[]> }).getKeyInfosAsPem = async () => keys;
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
  parsed?: { xml: string; doc: Document },
): Promise<{ accepted: boolean; error: string | null; timeChecksDelegated: boolean }> {
  try {
    const saml = reuseSaml(options, () => useParsedKeys(new SAML({
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
    }), options.certificates));
    let validation: Promise<unknown>;
    if (parsed) parseHandOffs.offered += 1;
    handOff = parsed ?? null;
    try {
      validation = saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    } finally {
      handOff = null;
    }
    await validation;
    return { accepted: true, error: null, timeChecksDelegated: options.clockFrozen };
  } catch (error) {
    return { accepted: false, error: error instanceof Error ? error.message : String(error), timeChecksDelegated: options.clockFrozen };
  }
}
