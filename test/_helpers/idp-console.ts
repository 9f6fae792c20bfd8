/**
 * Helpers for the mock Entra admin console's http tests: a browser-like agent that holds the
 * session and CSRF token, and readers for the structure the pages expose (ids, data-* attributes).
 */
import assert from 'node:assert/strict';
import type express from 'express';
import request from 'supertest';

export type Agent = ReturnType<typeof request.agent>;

/** Undoes nunjucks' HTML escaping of an attribute value. */
export function decodeHtml(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The CSRF token a console page carries. */
export function readCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(match?.[1], 'the page carries a CSRF token');
  return match[1];
}

/** The value attribute of the input with this id, or null when there is no such input. */
export function readInputValue(html: string, id: string): string | null {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0];
  if (tag === undefined) return null;
  return decodeHtml(/ value="([^"]*)"/.exec(tag)?.[1] ?? '');
}

/** The values of the inputs named `name`, in page order. */
export function readInputValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<input [^>]*name="${name}"[^>]*>`, 'g'))].map((m) =>
    decodeHtml(/ value="([^"]*)"/.exec(m[0])?.[1] ?? ''),
  );
}

/** Every field error on the page: the field's id and the error code. */
export function readFieldErrors(html: string): { field: string; code: string }[] {
  return [...html.matchAll(/data-error="([^"]+)" data-field="([^"]+)"/g)].map((m) => ({ code: m[1] ?? '', field: m[2] ?? '' }));
}

/** The text of the element carrying data-field="name" (tags stripped). */
export function readDataField(html: string, name: string): string | null {
  const match = new RegExp(`data-field="${name}"[^>]*>([\\s\\S]*?)</(?:dd|td|code|strong|span)>`).exec(html);
  return match
    ? decodeHtml(
        (match[1] ?? '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
    : null;
}

/** A browser session on the console: GET pages, POST forms with the page's CSRF token. */
export class ConsoleAgent {
  readonly agent: Agent;
  private token: string | null = null;

  constructor(app: express.Express) {
    this.agent = request.agent(app);
  }

  /** GETs a page (remembering its CSRF token) and asserts the status. */
  async open(path: string, status = 200) {
    const res = await this.agent.get(path);
    assert.equal(res.status, status, `GET ${path}: ${res.status}`);
    if (/name="_csrf"/.test(res.text)) this.token = readCsrf(res.text);
    return res;
  }

  /** POSTs a form with the session's CSRF token (fields may repeat: pass an array). */
  async submit(path: string, fields: Record<string, string | string[]>) {
    assert.ok(this.token !== null, 'open a console page before submitting a form');
    const body = new URLSearchParams();
    body.append('_csrf', this.token);
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.agent.post(path).type('form').send(body.toString());
  }
}
