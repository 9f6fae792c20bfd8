/**
 * Depth and width limits on an XML document, counted on the text before any parser runs and
 * verified again on the tree it produced. The parser, exclusive canonicalisation and the signature
 * libraries' XPath spend stack on nesting and time on every element and attribute, so all of these
 * are bounded before any of them sees the input.
 */
import { DEFAULT_XML_LIMITS, type XmlLimits } from './xml-limit-defaults.js';
import { XmlSafetyError } from './xml-safety-error.js';

export type { XmlLimits } from './xml-limit-defaults.js';

type LimitName = keyof XmlLimits;

/** What a refusal's `details` say: which limit, its value, and the element (with line and column when counted on text). */
export interface XmlLimitDetails {
  limit: LimitName;
  max: number;
  element: string;
  line?: number;
  column?: number;
}

/** The limits a caller gave, each missing one taken from the built-in defaults. */
export function resolveXmlLimits(limits: Partial<XmlLimits> | undefined): XmlLimits {
  return { ...DEFAULT_XML_LIMITS, ...limits };
}

const WHAT: Record<LimitName, string> = {
  maxDepth: 'is nested deeper than',
  maxElements: 'takes the document past',
  maxChildren: 'has more child elements than',
  maxAttributes: 'has more attributes than',
  maxNamespaceDeclarations: 'has more namespace declarations than',
  maxTotalAttributes: 'takes the document past',
  maxOtherNodes: 'takes the document past',
};

export function refuse(limit: LimitName, max: number, element: string, where?: { line: number; column: number }): never {
  const details: XmlLimitDetails = { limit, max, element: element.slice(0, 100), ...where };
  const at = where ? ` at line ${where.line}, column ${where.column}` : '';
  const message = `Element <${details.element}>${at} ${WHAT[limit]} ${limit} (${max}).`;
  throw new XmlSafetyError(limit === 'maxDepth' ? 'SP_PAYLOAD_TOO_DEEP' : 'SP_PAYLOAD_TOO_WIDE', message, details);
}

/** Line and column (both from 1) of an offset; run only to describe a refusal. */
function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line += 1;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Space, tab, CR, LF: the only white space XML allows between attributes. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Ends a name: white space, `=`, `>`, `/`, a quote or `<`. */
function endsName(c: number): boolean {
  return isSpace(c) || c === 0x3d || c === 0x3e || c === 0x2f || c === 0x22 || c === 0x27 || c === 0x3c;
}

/** Where the markup after a `<!` or `<?` at `at` ends (just past its terminator), or -1 when it never does. */
function skipDeclaration(text: string, at: number): number {
  const [close, from] = text.startsWith('<!--', at)
    ? ['-->', at + 4]
    : text.startsWith('<![CDATA[', at)
      ? [']]>', at + 9]
      : text.startsWith('<?', at)
        ? ['?>', at + 2]
        : ['>', at + 2];
  const end = text.indexOf(close, from);
  return end === -1 ? -1 : end + close.length;
}

/**
 * Counts nesting depth, elements, children per element, attributes and namespace declarations per
 * element, attributes and other nodes (comments, CDATA, PIs) in all, in one pass over the text, and refuses at the first limit reached (SP_PAYLOAD_TOO_DEEP,
 * SP_PAYLOAD_TOO_WIDE). Every character is looked at a bounded number of times: comments, CDATA
 * sections and processing instructions are skipped whole, quoted attribute values too, so a `<`, `>`
 * or `/` inside any of them is not markup. It is a conservative counter, not a parser: input it cannot
 * follow (an unterminated comment or tag) is left to the parser, which refuses it.
 */
export function checkXmlTextLimits(text: string, limits: XmlLimits): void {
  const { maxDepth, maxElements, maxChildren, maxAttributes, maxNamespaceDeclarations, maxTotalAttributes, maxOtherNodes } = limits;
  const length = text.length;
  // children[d]: child elements seen so far of the open element at depth d (0 is the document);
  // names[d]: where that element's name starts, to name it in a refusal.
  const children: number[] = [0];
  const names: number[] = [-1];
  let depth = 0;
  let elements = 0;
  let totalAttributes = 0;
  let others = 0;
  const nameAt = (start: number): string => {
    if (start < 0) return '(document)';
    let end = start;
    while (end < length && !endsName(text.charCodeAt(end))) end += 1;
    return end === start ? '(no name)' : text.slice(start, end);
  };
  const fail = (limit: LimitName, max: number, nameStart: number, offset: number): never =>
    refuse(limit, max, nameAt(nameStart), locate(text, offset));

  let at = text.indexOf('<');
  while (at !== -1) {
    const next = text.charCodeAt(at + 1);
    if (next === 0x21 || next === 0x3f) {
      // <! (comment, CDATA, declaration) or <? (processing instruction)
      others += 1;
      if (others > maxOtherNodes) fail('maxOtherNodes', maxOtherNodes, names[depth] ?? -1, at);
      const end = skipDeclaration(text, at);
      if (end === -1) return;
      at = text.indexOf('<', end);
      continue;
    }
    if (next === 0x2f) {
      // </name>: an end tag has no quoted parts, so its first > closes it.
      if (depth > 0) {
        depth -= 1;
        children.pop();
        names.pop();
      }
      const end = text.indexOf('>', at + 2);
      if (end === -1) return;
      at = text.indexOf('<', end + 1);
      continue;
    }

    // A start tag (or something broken the parser will refuse; counting it as one is conservative).
    const nameStart = at + 1;
    elements += 1;
    if (elements > maxElements) fail('maxElements', maxElements, nameStart, at);
    children[depth] = (children[depth] ?? 0) + 1;
    if ((children[depth] ?? 0) > maxChildren) fail('maxChildren', maxChildren, names[depth] ?? -1, at);

    let i = nameStart;
    while (i < length && !endsName(text.charCodeAt(i))) i += 1;
    let attributes = 0;
    let declarations = 0;
    let closed = false;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === 0x3e || (c === 0x2f && text.charCodeAt(i + 1) === 0x3e)) {
        if (depth + 1 > maxDepth) fail('maxDepth', maxDepth, nameStart, at);
        if (c === 0x3e) {
          depth += 1;
          children.push(0);
          names.push(nameStart);
          i += 1;
        } else {
          i += 2;
        }
        closed = true;
        break;
      }
      if (c === 0x22 || c === 0x27) {
        const end = text.indexOf(c === 0x22 ? '"' : "'", i + 1);
        if (end === -1) return;
        i = end + 1;
      } else if (c === 0x3c) {
        // A `<` inside a tag: broken markup. Resume the scan there; the parser refuses the document.
        break;
      } else if (isSpace(c) || c === 0x3d || c === 0x2f) {
        i += 1;
      } else {
        const start = i;
        while (i < length && !endsName(text.charCodeAt(i))) i += 1;
        const isDeclaration = text.startsWith('xmlns', start) && (i - start === 5 || text.charCodeAt(start + 5) === 0x3a);
        totalAttributes += 1;
        if (totalAttributes > maxTotalAttributes) fail('maxTotalAttributes', maxTotalAttributes, nameStart, start);
        if (isDeclaration) {
          declarations += 1;
          if (declarations > maxNamespaceDeclarations) fail('maxNamespaceDeclarations', maxNamespaceDeclarations, nameStart, start);
        } else {
          attributes += 1;
          if (attributes > maxAttributes) fail('maxAttributes', maxAttributes, nameStart, start);
        }
      }
    }
    if (!closed && i >= length) return;
    at = text.indexOf('<', i);
  }
}
