/**
 * Bounds on the shape of every XML document the product parses, counted on the text before the
 * parser runs. Built in, not settings: parseXmlSafely falls back to
 * them when a caller passes none, which covers responses, decrypted assertions, logout messages and
 * AuthnRequests; metadata passes its own budget. Measured on the mock's Entra-shaped output.
 */
export interface XmlLimits {
  /** Element nesting; the root is level 1. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Child elements of any one element (the document counts as the root's parent). */
  maxChildren: number;
  /** Attributes of one element, namespace declarations not counted. */
  maxAttributes: number;
  /** `xmlns` and `xmlns:p` declarations on one element. */
  maxNamespaceDeclarations: number;
  /** Attributes in the whole document, namespace declarations included. */
  maxTotalAttributes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  /** Entra responses nest 7 levels (8 encrypted), its metadata 6; exclusive c14n overflowed the stack from ~6,000 levels in ds:SignedInfo. */
  maxDepth: 64,
  /** An Entra response holds 45-60 elements, ~200 with 150 groups (Entra's SAML cap): 5× headroom; the two verifiers spend ~0.1 ms per element, so the worst message stays near 100 ms. */
  maxElements: 1000,
  /** Entra's widest element is one claim's values (150 groups); the checks scan a parent's children on every lookup. */
  maxChildren: 500,
  /** No Entra element carries more than 4 attributes; a parser checks each new attribute against the element's others. */
  maxAttributes: 64,
  /** Entra declares at most 2 namespaces on one element (metadata RoleDescriptor: xsi and fed). */
  maxNamespaceDeclarations: 32,
  /** Entra responses carry 15-40 attributes (~200 with 150 groups), metadata 60 plus 6 per certificate; signature checks spend ~0.05 ms on each. */
  maxTotalAttributes: 2000,
};

/**
 * Metadata's budget: Entra's App Federation Metadata is 85 elements plus 12 per signing certificate,
 * about 3,300 at the 1 MB import limit; 10,000 also admits a small aggregate (EntitiesDescriptor) of a
 * few hundred entities, whose signature check then takes about a second.
 */
export const DEFAULT_METADATA_XML_LIMITS: XmlLimits = { ...DEFAULT_XML_LIMITS, maxElements: 10_000, maxTotalAttributes: 20_000 };
