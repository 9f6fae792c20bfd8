import { fileURLToPath } from 'node:url';
import type { Response } from 'express';
import nunjucks from 'nunjucks';

/** Folder of the .njk templates, next to this file so it works from src/ and from a build. */
const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));

/** Folder served under /static. */
export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/**
 * Builds one nunjucks Environment for one app. Each app gets its own so that two apps in a process
 * never share loaders, caches or globals. Autoescape is on: every value from a request or an
 * assertion is escaped on output.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('prettyXml', formatXmlForDisplay);
  env.addFilter('clip', clipForDisplay);
  env.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
  return env;
}

/**
 * Renders a template into the response with a status. The CSP nonce and the request id from
 * res.locals are handed to every template.
 */
export function renderPage(res: Response, env: nunjucks.Environment, view: string, data: Record<string, unknown>, status = 200): void {
  const html = env.render(view, { ...res.locals, ...data });
  res.status(status).type('html').send(html);
}

/**
 * The trace report shows at most this many characters of a message, formatted or raw: a formatted
 * Entra response is 5-20 kB, so only a hostile or runaway message is cut. The capture download
 * keeps all of it.
 */
export const MAX_DISPLAY_CHARS = 100_000;

/** Deeper elements are drawn at this indentation: Entra messages nest under 10 levels, and deep input must not grow every line. */
const MAX_DISPLAY_INDENT = 32;

/** The line that ends a cut display, saying how much was left out. */
function buildTruncationMarker(hidden: number): string {
  return `… truncated (${hidden} more characters)`;
}

/** Text for display, cut at `maxChars` with a marker that says how much more there was. */
export function clipForDisplay(value: unknown, maxChars = MAX_DISPLAY_CHARS): string {
  if (typeof value !== 'string') return '';
  if (value.length <= maxChars) return value;
  return `${value.slice(0, maxChars)}\n${buildTruncationMarker(value.length - maxChars)}`;
}

/** One piece of markup: a tag, a comment or a processing instruction. */
function classifyToken(token: string): 'open' | 'close' | 'self' | 'other' {
  if (token.startsWith('</')) return 'close';
  if (token.startsWith('<?') || token.startsWith('<!')) return 'other';
  if (token.endsWith('/>')) return 'self';
  return 'open';
}

/**
 * Where the markup starting at `at` ends: a comment or CDATA section at its terminator, a tag at the
 * first `>` outside quotes. Unterminated markup runs to the end. Each character is read once.
 */
function findMarkupEnd(xml: string, at: number): number {
  const closeAt = (terminator: string, from: number): number => {
    const end = xml.indexOf(terminator, from);
    return end === -1 ? xml.length : end + terminator.length;
  };
  if (xml.startsWith('<!--', at)) return closeAt('-->', at + 4);
  if (xml.startsWith('<![CDATA[', at)) return closeAt(']]>', at + 9);
  let i = at + 1;
  while (i < xml.length) {
    const c = xml.charCodeAt(i);
    if (c === 0x3e) return i + 1;
    if (c === 0x22 || c === 0x27) {
      const end = xml.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (end === -1) return xml.length;
      i = end + 1;
    } else {
      i += 1;
    }
  }
  return xml.length;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Reads markup and non-blank text pieces in order, one call at a time, in a single linear pass. */
function createTokenReader(xml: string): () => Token | null {
  let at = 0;
  return () => {
    while (at < xml.length) {
      const start = at;
      if (xml.charCodeAt(at) === 0x3c) at = findMarkupEnd(xml, at);
      else {
        const lt = xml.indexOf('<', at);
        at = lt === -1 ? xml.length : lt;
      }
      const text = xml.slice(start, at);
      if (text.trim() !== '') return { text, start, end: at };
    }
    return null;
  };
}

/**
 * Indents XML for reading in a report. Display only: the stored XML is never changed, and no parser
 * runs here, so malformed input still comes out (just less tidy). Text that sits alone inside an
 * element stays on the element's line, so values read like `<NameID>b@x</NameID>`. The output is
 * bounded whatever the input: one pass, no recursion, indentation capped at MAX_DISPLAY_INDENT levels,
 * and at most `maxChars` characters, the rest replaced by a "… truncated (N more characters)" line.
 */
export function formatXmlForDisplay(xml: unknown, maxChars = MAX_DISPLAY_CHARS): string {
  if (typeof xml !== 'string') return '';
  const read = createTokenReader(xml);
  const ahead: Token[] = [];
  const peek = (n: number): Token | undefined => {
    while (ahead.length <= n) {
      const token = read();
      if (token === null) return undefined;
      ahead.push(token);
    }
    return ahead[n];
  };
  const take = (): Token | null => ahead.shift() ?? read();
  const lines: string[] = [];
  let size = 0;
  let depth = 0;
  for (let token = take(); token !== null; token = take()) {
    const start = token.start;
    const indent = '  '.repeat(Math.min(depth, MAX_DISPLAY_INDENT));
    let line: string;
    if (!token.text.startsWith('<')) {
      line = `${indent}${token.text.trim()}`;
    } else {
      const kind = classifyToken(token.text);
      const text = peek(0);
      const after = peek(1);
      if (kind === 'open' && text !== undefined && !text.text.startsWith('<') && after?.text.startsWith('</')) {
        line = `${indent}${token.text}${text.text.trim()}${after.text}`;
        take();
        take();
        token = after;
      } else {
        if (kind === 'close') depth = Math.max(0, depth - 1);
        line = `${'  '.repeat(Math.min(depth, MAX_DISPLAY_INDENT))}${token.text}`;
        if (kind === 'open') depth += 1;
      }
    }
    const room = maxChars - size;
    if (line.length > room) {
      // Show what fits of this line; the count is of the message's characters from there on.
      const part = line.slice(0, Math.max(0, room));
      if (part.trim() !== '') lines.push(part);
      lines.push(buildTruncationMarker(Math.max(0, xml.length - start - Math.max(0, room))));
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}
