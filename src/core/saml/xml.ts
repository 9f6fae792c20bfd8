/**
 * The one way this product turns text into a DOM: no DTD, a size limit, depth and width limits
 * counted before the parser runs, parser complaints are refusals, and small helpers that read the
 * tree without the classic traps (first-text-node reads, descendant searches where only children
 * are allowed).
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { checkXmlTextLimits, resolveXmlLimits, type XmlLimits } from './xml-limits.js';
import { XmlSafetyError } from './xml-safety-error.js';
import { checkTreeLimits } from './xml-tree-limits.js';

export type { XmlLimits };
export { XmlSafetyError };

/** Used when a caller gives no limit; every caller that knows its payload should pass its own. */
export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Removes a leading UTF-8 byte order mark, and says whether there was one (Entra's metadata has one). */
export function stripBom(text: string): { text: string; hadBom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), hadBom: true } : { text, hadBom: false };
}

/**
 * Finds markup declarations (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT` …) outside comments and CDATA.
 * Any `<!` that opens neither a comment nor a CDATA section is a DTD construct, which SAML forbids
 * (SAML Core 1.3; Bindings 3.4.4 / 3.5.4), so the test is deliberately broader than "DOCTYPE".
 */
function hasMarkupDeclaration(text: string): boolean {
  // One scan in document order, as a tokenizer reads it: comments and CDATA sections are skipped
  // whole (they cannot nest); any other `<!` is a declaration. An unterminated comment or section is
  // left to the parser, and the scan goes on past its opening.
  let at = text.indexOf('<!');
  while (at !== -1) {
    let next: number;
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      next = end === -1 ? at + 4 : end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      next = end === -1 ? at + 9 : end + 3;
    } else {
      return true;
    }
    at = text.indexOf('<!', next);
  }
  return false;
}

export interface ParseXmlOptions {
  /** UTF-8 bytes; DEFAULT_MAX_XML_BYTES when absent. */
  maxBytes?: number;
  /** Depth and width; each limit left out is the built-in default (src/core/saml/xml-limit-defaults.ts). */
  limits?: Partial<XmlLimits>;
}

/**
 * Parses XML text the safe way: refuses any DTD (SP_PAYLOAD_DTD), anything over `maxBytes` UTF-8
 * bytes (SP_PAYLOAD_TOO_LARGE), nesting deeper than `limits.maxDepth` (SP_PAYLOAD_TOO_DEEP), more
 * elements, children, attributes, namespace declarations or comments, CDATA sections and processing
 * instructions than the limits (SP_PAYLOAD_TOO_WIDE;
 * `details` name the limit, its value and the element), and anything the parser complains about, warnings
 * included (SP_PAYLOAD_MALFORMED_XML). Depth and width are counted on the text before the parser
 * runs and again on the tree. A leading BOM is tolerated; use {@link stripBom} to learn of it.
 */
export function parseXmlSafely(xml: string, options: ParseXmlOptions = {}): Document {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const limits = resolveXmlLimits(options.limits);
  // Length in UTF-16 units is a cheap lower bound on UTF-8 bytes: refuse huge input before scanning it.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new XmlSafetyError('SP_PAYLOAD_TOO_LARGE', undefined, { maxBytes });
  }
  const { text } = stripBom(xml);
  if (hasMarkupDeclaration(text)) throw new XmlSafetyError('SP_PAYLOAD_DTD');
  if (text.trim() === '') throw new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', 'The document is empty.');
  checkXmlTextLimits(text, limits);

  const doc = parseWithXmldom(text);
  if (doc.doctype) throw new XmlSafetyError('SP_PAYLOAD_DTD');
  checkTreeLimits(doc, limits);
  checkDocumentShape(doc);
  return doc;
}

/**
 * xmldom with every complaint, warnings included, turned into a refusal: it only warns about
 * unquoted attributes and the like, and in SAML those are damage, not style. Position tracking
 * costs a tenth of a parse, so it is switched on only to describe a refusal, by parsing again.
 */
function parseWithXmldom(text: string): Document {
  try {
    return runXmldom(text, false);
  } catch (first) {
    try {
      runXmldom(text, true);
    } catch (located) {
      throw asMalformed(located);
    }
    throw asMalformed(first);
  }
}

function runXmldom(text: string, locate: boolean): Document {
  const refuse = (message: string): never => {
    throw new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', undefined, { parser: message });
  };
  return new DOMParser({
    ...(locate ? { locator: {} } : {}),
    errorHandler: { warning: refuse, error: refuse, fatalError: refuse },
  }).parseFromString(text, 'text/xml');
}

function asMalformed(err: unknown): XmlSafetyError {
  return err instanceof XmlSafetyError ? err : new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', undefined, { parser: String(err) });
}

/** Exactly one root element and nothing but whitespace, comments and PIs beside it (XML 1.0 section 2.1). */
function checkDocumentShape(doc: Document): void {
  let roots = 0;
  for (let node = doc.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) roots += 1;
    else if ((node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) && (node.nodeValue ?? '').trim() !== '') {
      throw new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', 'There is text outside the root element.');
    }
  }
  if (roots !== 1 || !doc.documentElement) {
    throw new XmlSafetyError('SP_PAYLOAD_MALFORMED_XML', 'The document must have exactly one root element.');
  }
}

function matches(el: Element, ns: string, localName: string): boolean {
  return (ns === '*' || el.namespaceURI === ns) && (localName === '*' || el.localName === localName);
}

/** Direct child elements with this namespace and local name ('*' matches any), in document order. */
export function childElements(parent: Element | Document, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE && matches(node as Element, ns, localName)) found.push(node as Element);
  }
  return found;
}

/** The first direct child element with this namespace and local name, or null. */
export function firstChildElement(parent: Element | Document, ns: string, localName: string): Element | null {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE && matches(node as Element, ns, localName)) return node as Element;
  }
  return null;
}

/** Every element below `root` (not `root` itself) with this namespace and local name, in document order. */
export function descendantElements(root: Element | Document, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  walkElements(root, (el) => {
    if (el !== root && matches(el, ns, localName)) found.push(el);
  });
  return found;
}

/** The first element among `node` and its following siblings, or null. */
function elementFrom(node: Node | null): Node | null {
  let at = node;
  while (at && at.nodeType !== ELEMENT_NODE) at = at.nextSibling;
  return at;
}

/**
 * Visits `root` (when an element) and every element below it in document order. It follows the
 * tree's own links rather than recursing or keeping a stack, so deeply nested hostile input cannot
 * exhaust the call stack and a walk allocates nothing. `visit` must not change the tree.
 */
function walkElements(root: Node, visit: (el: Element) => void): void {
  let node: Node = root;
  for (;;) {
    if (node.nodeType === ELEMENT_NODE) visit(node as Element);
    const child = elementFrom(node.firstChild);
    if (child) {
      node = child;
      continue;
    }
    for (;;) {
      if (node === root) return;
      const sibling = elementFrom(node.nextSibling);
      if (sibling) {
        node = sibling;
        break;
      }
      node = node.parentNode as Node;
    }
  }
}

/**
 * The whole text of an element: every text and CDATA node below it, concatenated, comments skipped.
 * Reading only the first text node is how `<NameID>admin@x.com<!---->.evil.com</NameID>` became
 * `admin@x.com` in several SAML libraries (the 2018 comment-injection bug).
 */
export function readText(el: Element): string {
  return el.textContent ?? '';
}

/** An attribute without namespace, or null when absent (an empty value stays ''). */
export function readAttribute(el: Element, name: string): string | null {
  return el.hasAttribute(name) ? el.getAttribute(name) : null;
}

/**
 * How many elements carry `id` in an attribute whose local name is ID, Id or id, the attributes
 * XML-DSig references resolve against. More than one means a signature could point at a decoy.
 */
export function countElementsWithId(doc: Document | Element, id: string): number {
  let count = 0;
  walkElements(doc, (el) => {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i += 1) {
      const attr = attrs.item(i);
      if (!attr) continue;
      const local = attr.localName ?? attr.name;
      if ((local === 'ID' || local === 'Id' || local === 'id') && attr.value === id) {
        count += 1;
        return;
      }
    }
  });
  return count;
}

/** Serialises a node back to text (no XML declaration). */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** Escapes text for use in XML character data or a double-quoted attribute value. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}
