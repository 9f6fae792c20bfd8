/**
 * A small cookie-keeping HTTP client that walks this harness's pages the way a browser would: it
 * follows redirects, keeps cookies per origin, and submits the forms on a page (including the
 * auto-posted SAML forms, which a browser would submit by script). It reads only the markup this
 * harness renders; it is a test tool, not a general HTML parser.
 */
import { foldAsciiCase, upperAsciiCase } from '../core/saml/ascii-case.js';
import { createExchangeAgents, sendExchange } from './http-exchange.js';

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

export interface Form {
  action: string;
  method: 'GET' | 'POST';
  name: string | null;
  id: string | null;
  fields: Record<string, string>;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
  '#x27': "'",
  '#x2F': '/',
  '#x3D': '=',
  '#96': '`',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return whole;
  });
}

function readAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = (m[1] as string).toLowerCase();
    if (!(name in attributes)) attributes[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attributes;
}

function isWordCharacter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/**
 * Each `<name …>` tag (ASCII case-insensitive, name followed by a non-word character) in
 * `text[from, to)`: where its attributes start and where it ends. indexOf rather than
 * /<name\b([^>]*)>/gi, which is retried from every `<name` that has no `>` after it (quadratic).
 */
function* findTags(folded: string, name: string, from: number, to: number): Generator<{ start: number; attributes: number; end: number }> {
  const opening = `<${name}`;
  let pos = from;
  for (;;) {
    const start = folded.indexOf(opening, pos);
    if (start < 0 || start >= to) return;
    const attributes = start + opening.length;
    if (attributes < to && isWordCharacter(folded.charCodeAt(attributes))) {
      pos = start + 1;
      continue;
    }
    const close = folded.indexOf('>', attributes);
    if (close < 0 || close >= to) return;
    yield { start, attributes, end: close + 1 };
    pos = close + 1;
  }
}

const formsByPage = new WeakMap<Page, { text: string; url: string; forms: readonly Form[] }>();

/**
 * The forms on a page with their hidden and pre-filled fields (submit buttons left out). Read once
 * per page text (walking to the SP and submitting both ask); each call gets its own copies.
 */
export function readForms(page: Page): Form[] {
  let read = formsByPage.get(page);
  if (!read || read.text !== page.text || read.url !== page.url) {
    read = { text: page.text, url: page.url, forms: parseForms(page) };
    formsByPage.set(page, read);
  }
  return read.forms.map((form) => ({ ...form, fields: { ...form.fields } }));
}

function parseForms(page: Page): Form[] {
  const forms: Form[] = [];
  // Folding A-Z keeps every index, so positions found in the folded copy slice the original.
  const text = page.text;
  const folded = foldAsciiCase(text);
  let pos = 0;
  for (;;) {
    const tag = findTags(folded, 'form', pos, text.length).next();
    if (tag.done) break;
    const bodyEnd = folded.indexOf('</form>', tag.value.end);
    if (bodyEnd < 0) break;
    const attrs = readAttributes(text.slice(tag.value.attributes, tag.value.end - 1));
    const fields: Record<string, string> = {};
    for (const input of findTags(folded, 'input', tag.value.end, bodyEnd)) {
      const a = readAttributes(text.slice(input.attributes, input.end - 1));
      if (!a.name || a.type === 'submit' || a.type === 'button') continue;
      fields[a.name] = a.value ?? '';
    }
    forms.push({
      action: new URL(attrs.action || page.url, page.url).toString(),
      method: upperAsciiCase(attrs.method ?? 'get') === 'POST' ? 'POST' : 'GET',
      name: attrs.name ?? null,
      id: attrs.id ?? null,
      fields,
    });
    pos = bodyEnd + '</form>'.length;
  }
  return forms;
}

export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  private readonly agents = createExchangeAgents();
  /** Every page visited, oldest first: handy when an assertion fails. */
  readonly history: { method: string; url: string; status: number }[] = [];

  /** GET a URL, following redirects. */
  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  /** Submits a form of `page` (the first one, or the one whose name or id matches), with field overrides. */
  submit(page: Page, options: { form?: string; fields?: Record<string, string> } = {}): Promise<Page> {
    const forms = readForms(page);
    const form = options.form ? forms.find((f) => f.name === options.form || f.id === options.form) : forms[0];
    if (!form) throw new Error(`No form${options.form ? ` "${options.form}"` : ''} on ${page.url} (status ${page.status}).`);
    const body = new URLSearchParams({ ...form.fields, ...options.fields });
    if (form.method === 'GET') {
      const url = new URL(form.action);
      for (const [k, v] of body) url.searchParams.set(k, v);
      return this.request('GET', url.toString());
    }
    return this.request('POST', form.action, body);
  }

  /** The cookies this browser holds for an origin. */
  cookies(origin: string): Map<string, string> {
    return this.jar.get(new URL(origin).host) ?? new Map();
  }

  async request(method: 'GET' | 'POST', url: string, body?: URLSearchParams): Promise<Page> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop < 10; hop++) {
      const target = new URL(current);
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = [...(this.jar.get(target.host) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
      if (cookie) headers.cookie = cookie;
      if (currentBody) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await sendExchange(this.agents, currentMethod, target, headers, currentBody?.toString());
      this.storeCookies(target.host, response.headers.getSetCookie());
      this.history.push({ method: currentMethod, url: current, status: response.status });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        if (response.status !== 307 && response.status !== 308) {
          currentMethod = 'GET';
          currentBody = undefined;
        }
        continue;
      }
      return { url: current, status: response.status, headers: response.headers, text: response.text };
    }
    throw new Error(`Too many redirects from ${url}.`);
  }

  private storeCookies(host: string, setCookies: string[]): void {
    const jar = this.jar.get(host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = (pair ?? '').indexOf('=');
      if (at <= 0) continue;
      const name = (pair as string).slice(0, at).trim();
      const value = (pair as string).slice(at + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()),
      );
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.jar.set(host, jar);
  }
}
