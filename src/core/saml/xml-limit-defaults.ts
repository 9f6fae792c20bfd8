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
  /** Comments, CDATA sections and processing instructions (the XML declaration too) in the whole document. */
  maxOtherNodes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  /** Entra responses nest 7 levels (8 encrypted), its metadata 6; exclusive c14n overflowed the stack from ~6,000 levels in ds:SignedInfo. */
  maxDepth: 64,
  /** An Entra response holds 45-60 elements, ~200 with 150 groups (Entra's SAML cap): 2.5× headroom; the two verifiers spend ~0.1 ms per element, so the worst accepted message stays well under 100 ms. */
  maxElements: 500,
  /** Entra's widest element is one claim's values (150 groups); the checks scan a parent's children on every lookup. */
  maxChildren: 250,
  /** No Entra element carries more than 4 attributes; a parser checks each new attribute against the element's others. */
  maxAttributes: 64,
  /** Entra declares at most 2 namespaces on one element (metadata RoleDescriptor: xsi and fed). */
  maxNamespaceDeclarations: 32,
  /** Entra responses carry 15-40 attributes (~200 with 150 groups), metadata 60 plus 6 per certificate; signature checks spend ~0.05 ms on each. */
  maxTotalAttributes: 1000,
  /** Entra sends none but the XML declaration; node-saml's XPath visits every node, and 35,000 empty comments cost it over half a second. */
  maxOtherNodes: 500,
};

/**
 * Metadata's budget: Entra's App Federation Metadata is 85 elements plus 12 per signing certificate
 * (a tenant app has a handful); 3,000 elements admit over 200 certificates, or a small aggregate
 * (EntitiesDescriptor) of about a hundred entities, and keep an edited paste's signature check short.
 */
export const DEFAULT_METADATA_XML_LIMITS: XmlLimits = {
  ...DEFAULT_XML_LIMITS,
  maxElements: 3000,
  maxChildren: 1000,
  maxTotalAttributes: 6000,
  maxOtherNodes: 3000,
};
