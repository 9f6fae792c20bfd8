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

/** One piece of markup: a tag, a comment or a processing instruction. */
function classifyToken(token: string): 'open' | 'close' | 'self' | 'other' {
  if (token.startsWith('</')) return 'close';
  if (token.startsWith('<?') || token.startsWith('<!')) return 'other';
  if (token.endsWith('/>')) return 'self';
  return 'open';
}

/**
 * The text between tags and the tags (`<` to the next `>`), in order: what `split(/(<[^>]*>)/)`
 * gives, in one pass. The pattern retries from every `<` of a run that has no `>` after it, which is
 * quadratic on a stored message full of them; this reads each character once.
 */
export function splitXmlTags(xml: string): string[] {
  const parts: string[] = [];
  let pos = 0;
  for (;;) {
    const open = xml.indexOf('<', pos);
    const close = open < 0 ? -1 : xml.indexOf('>', open + 1);
    if (close < 0) break;
    parts.push(xml.slice(pos, open), xml.slice(open, close + 1));
    pos = close + 1;
  }
  parts.push(xml.slice(pos));
  return parts;
}

/**
 * Indents XML for reading in a report. Display only: the stored XML is never changed, and no parser
 * runs here, so malformed input still comes out (just less tidy). Text that sits alone inside an
 * element stays on the element's line, so values read like `<NameID>b@x</NameID>`.
 */
export function formatXmlForDisplay(xml: unknown): string {
  if (typeof xml !== 'string') return '';
  const tokens = splitXmlTags(xml).filter((t) => t.trim().length > 0);
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!token.startsWith('<')) {
      lines.push(`${'  '.repeat(depth)}${token.trim()}`);
      continue;
    }
    const kind = classifyToken(token);
    const text = tokens[i + 1];
    const after = tokens[i + 2];
    if (kind === 'open' && text !== undefined && !text.startsWith('<') && after?.startsWith('</')) {
      lines.push(`${'  '.repeat(depth)}${token}${text.trim()}${after}`);
      i += 2;
      continue;
    }
    if (kind === 'close') depth = Math.max(0, depth - 1);
    lines.push(`${'  '.repeat(depth)}${token}`);
    if (kind === 'open') depth++;
  }
  return lines.join('\n');
}
