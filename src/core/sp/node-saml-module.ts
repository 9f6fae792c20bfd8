/**
 * node-saml (and the XML stack it brings: xml2js, xml-encryption, its own xml-crypto) loads on first
 * use, not at start: it is a third of the start-up's module loading, and an SP that only serves its
 * consoles never needs it. The first SP-initiated sign-in, SP metadata download or ACS call waits for
 * it once; every later one finds it loaded.
 */
export type NodeSamlModule = typeof import('@node-saml/node-saml');

let loading: Promise<NodeSamlModule> | null = null;

/** The node-saml module, imported once per process. */
export function loadNodeSaml(): Promise<NodeSamlModule> {
  loading ??= import('@node-saml/node-saml');
  return loading;
}
