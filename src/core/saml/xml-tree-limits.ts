/**
 * The depth and width limits verified again on a parsed tree, and the budget a document leaves for
 * another parsed into it (the decrypted assertion takes the place of the EncryptedAssertion, so the
 * two together get one message's budget, not two).
 */
import type { XmlLimits } from './xml-limit-defaults.js';
import { refuse } from './xml-limits.js';
import { XmlSafetyError } from './xml-safety-error.js';

const ELEMENT_NODE = 1;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

/** What a document spent of the document-wide limits. */
export interface XmlUsage {
  elements: number;
  totalAttributes: number;
  otherNodes: number;
}

/**
 * Verifies the limits on a parsed tree, by following the tree's own links (no recursion, no
 * stack), so that nothing the text counter and the parser read differently gets through. Returns
 * what the document spent of the document-wide limits. The same walk refuses a prefix bound to no
 * namespace (Namespaces in XML 1.0, "Prefix Declared"), which xmldom lets through as a name with no
 * namespace: `<ds:Signature>` without `xmlns:ds` must not read as anything, to any reader.
 */
export function checkTreeLimits(doc: Document, limits: XmlLimits): XmlUsage {
  const { maxDepth, maxElements, maxChildren, maxAttributes, maxNamespaceDeclarations, maxTotalAttributes, maxOtherNodes } = limits;
  let elements = 0;
  let totalAttributes = 0;
  let otherNodes = 0;
  let depth = 0;
  let node: Node | null = doc.firstChild;
  const parentName = (n: Node): string =>
    n.parentNode && n.parentNode.nodeType === ELEMENT_NODE ? (n.parentNode as Element).tagName : '(document)';
  // children of the current parent, per depth; reset whenever the walk descends.
  const children: number[] = [0];
  while (node) {
    const type = node.nodeType;
    if (type === CDATA_SECTION_NODE || type === PROCESSING_INSTRUCTION_NODE || type === COMMENT_NODE) {
      otherNodes += 1;
      if (otherNodes > maxOtherNodes) refuse('maxOtherNodes', maxOtherNodes, parentName(node));
    } else if (type === ELEMENT_NODE) {
      const el = node as Element;
      elements += 1;
      if (elements > maxElements) refuse('maxElements', maxElements, el.tagName);
      if (depth + 1 > maxDepth) refuse('maxDepth', maxDepth, el.tagName);
      children[depth] = (children[depth] ?? 0) + 1;
      if ((children[depth] ?? 0) > maxChildren) refuse('maxChildren', maxChildren, parentName(el));
      if (el.prefix && !el.namespaceURI) refuseUnboundPrefix(el.tagName);
      let declarations = 0;
      for (let i = 0; i < el.attributes.length; i += 1) {
        const attribute = el.attributes.item(i);
        const name = attribute?.name ?? '';
        if (name === 'xmlns' || name.startsWith('xmlns:')) declarations += 1;
        else if (attribute?.prefix && !attribute.namespaceURI) refuseUnboundPrefix(`${el.tagName} ${name}`);
      }
      if (declarations > maxNamespaceDeclarations) refuse('maxNamespaceDeclarations', maxNamespaceDeclarations, el.tagName);
      if (el.attributes.length - declarations > maxAttributes) refuse('maxAttributes', maxAttributes, el.tagName);
      totalAttributes += el.attributes.length;
      if (totalAttributes > maxTotalAttributes) refuse('maxTotalAttributes', maxTotalAttributes, el.tagName);
      if (el.firstChild) {
        depth += 1;
        children[depth] = 0;
        node = el.firstChild;
        continue;
      }
    }
    while (node && !node.nextSibling) {
      node = node.parentNode;
      if (!node || node === doc) return { elements, totalAttributes, otherNodes };
      depth -= 1;
    }
    node = node ? node.nextSibling : null;
  }
  return { elements, totalAttributes, otherNodes };
}

function refuseUnboundPrefix(name: string): never {
  throw new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', `The prefix of "${name.slice(0, 100)}" is not bound to a namespace.`, {
    parser: 'unbound namespace prefix',
  });
}

/**
 * The limits left for a document that will be read as part of `doc` (already within `limits`): the
 * document-wide counts minus what `doc` spent, never below zero; per-element limits unchanged.
 */
export function xmlLimitsLeft(doc: Document, limits: XmlLimits): XmlLimits {
  const used = checkTreeLimits(doc, limits);
  return {
    ...limits,
    maxElements: Math.max(0, limits.maxElements - used.elements),
    maxTotalAttributes: Math.max(0, limits.maxTotalAttributes - used.totalAttributes),
    maxOtherNodes: Math.max(0, limits.maxOtherNodes - used.otherNodes),
  };
}
