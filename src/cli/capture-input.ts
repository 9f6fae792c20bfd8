/**
 * What `mock-mimecast check` reads: whatever people capture a sign-in with. A browser's HAR export and a
 * SAML-tracer export may hold several SAMLResponses (every one is returned, with the URL it was posted
 * to and when); raw XML, base64 and a copied form body hold one.
 */

import { AppError } from '../core/errors.js';
import { encodePostBinding } from '../core/saml/bindings.js';
import { readInputFile } from './cli-files.js';

/** Where a SAMLResponse was found. */
export type CaptureSource = 'har' | 'saml-tracer' | 'xml' | 'form' | 'base64';

/** One SAMLResponse from the input, with what the capture says about it. */
export interface CapturedResponse {
  source: CaptureSource;
  /** Base64, as the HTTP-POST binding carries it. */
  samlResponse: string;
  /** The URL it was posted to, when the capture records it. */
  url: string | null;
  /** ISO time from the capture, when it has one. */
  time: string | null;
  /** What `time` is: when the browser sent the POST (HAR), or only when the capture was exported (SAML-tracer). */
  timeKind: 'sent' | 'exported' | null;
}

/** A literal SAMLResponse on the command line, as opposed to a path: base64 is long and has no dots. */
const INLINE_BASE64 = /^[A-Za-z0-9+/=\s]{64,}$/;

/**
 * Reads the `check` argument: `-` is standard input, an existing path is read, XML, a form body or long
 * base64 are taken as they are; anything else is a path that does not exist (INPUT_NOT_FOUND), never
 * silently taken for base64.
 */
export function readCheckInput(input: string, readStdin: () => string): string {
  if (input === '-') return readStdin();
  const text = input.trim();
  const inline = text.startsWith('<') || text.startsWith('\uFEFF<') || /(^|&)SAMLResponse=/.test(text) || INLINE_BASE64.test(text);
  return inline ? text : readInputFile(input, 'the capture');
}

/** Every SAMLResponse in the input, in capture order; CAPTURE_HAS_NO_RESPONSE when there is none. */
export function extractResponses(input: string): CapturedResponse[] {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) {
    const { format, found } = extractFromJson(text);
    if (found.length === 0) throw new AppError('CAPTURE_HAS_NO_RESPONSE', undefined, { details: { format } });
    return found;
  }
  const one = extractFromText(text);
  if (one.samlResponse === '') throw new AppError('CAPTURE_HAS_NO_RESPONSE', undefined, { details: { format: one.source } });
  return [one];
}

function extractFromText(text: string): CapturedResponse {
  const none = { url: null, time: null, timeKind: null } as const;
  if (text.startsWith('<')) return { source: 'xml', samlResponse: encodePostBinding(text), ...none };
  if (/(^|&)SAMLResponse=/.test(text))
    return { source: 'form', samlResponse: new URLSearchParams(text).get('SAMLResponse')?.trim() ?? '', ...none };
  return { source: 'base64', samlResponse: text, ...none };
}

function extractFromJson(text: string): { format: 'har' | 'saml-tracer'; found: CapturedResponse[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `The input looks like JSON but does not parse: ${(error as Error).message}`, {
      details: { format: 'json' },
    });
  }
  const root = asRecord(parsed);
  const entries = asRecord(root.log).entries;
  if (Array.isArray(entries)) return { format: 'har', found: entries.flatMap((entry) => extractFromHarEntry(asRecord(entry))) };
  if (Array.isArray(root.requests)) {
    const exportedAt = typeof root.timestamp === 'string' ? root.timestamp : null;
    return { format: 'saml-tracer', found: root.requests.flatMap((request) => extractFromTracerRequest(asRecord(request), exportedAt)) };
  }
  throw new AppError('INPUT_UNREADABLE', 'The input is JSON, but neither a HAR export (log.entries) nor a SAML-tracer export (requests).', {
    details: { format: 'json' },
  });
}

/** HAR 1.2: `log.entries[].request` with `postData.params` (parsed form fields) or `postData.text` (the raw body). */
function extractFromHarEntry(entry: Record<string, unknown>): CapturedResponse[] {
  const request = asRecord(entry.request);
  if (String(request.method).toUpperCase() !== 'POST') return [];
  const postData = asRecord(request.postData);
  const params = Array.isArray(postData.params) ? postData.params.map(asRecord) : [];
  const param = params.find((p) => p.name === 'SAMLResponse' && typeof p.value === 'string');
  let value: string | null = null;
  if (param !== undefined) value = decodeFormValue(param.value as string);
  else if (typeof postData.text === 'string' && /(^|&)SAMLResponse=/.test(postData.text))
    value = new URLSearchParams(postData.text).get('SAMLResponse');
  if (value === null) return [];
  const time = typeof entry.startedDateTime === 'string' ? entry.startedDateTime : null;
  return [
    {
      source: 'har',
      samlResponse: value.trim(),
      url: typeof request.url === 'string' ? request.url : null,
      time,
      timeKind: time === null ? null : 'sent',
    },
  ];
}

/**
 * SAML-tracer: `requests[]` with `method`, `url`, `post` as [name, value] pairs (values decoded) and the
 * decoded message in `saml`. An export made with its hash or obfuscate filter replaces the post values
 * but keeps `saml`, so the message is taken from there then. Requests carry no time of their own; the
 * export's `timestamp` is when the list was saved.
 */
function extractFromTracerRequest(request: Record<string, unknown>, exportedAt: string | null): CapturedResponse[] {
  if (String(request.method).toUpperCase() !== 'POST' || !Array.isArray(request.post)) return [];
  const pair = request.post.find((p): p is [string, string] => Array.isArray(p) && p[0] === 'SAMLResponse' && typeof p[1] === 'string');
  if (pair === undefined) return [];
  let value = pair[1].trim();
  const decoded = typeof request.saml === 'string' ? request.saml.trim() : '';
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value) && decoded.startsWith('<')) value = encodePostBinding(decoded);
  const url = typeof request.url === 'string' ? request.url : null;
  return [{ source: 'saml-tracer', samlResponse: value, url, time: exportedAt, timeKind: exportedAt === null ? null : 'exported' }];
}

/** HAR writers differ: some keep form values URL-encoded (%2B, %3D), others decode them. Base64 has no `%`. */
function decodeFormValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
