/**
 * Fetches a metadata document over HTTP(S) for "Metadata URL › Import": bounded in time and size,
 * redirects followed by hand so that every hop is vetted the same way as the first URL.
 */
import { AppError } from '../core/errors.js';
import type { FetchDocument } from '../core/sp/context.js';

export interface DocumentFetcherOptions {
  /** One deadline for the whole fetch: every redirect hop and the body. */
  timeoutMs: number;
  maxBytes: number;
  /** Hosts that may be fetched over plain http (the built-in mock IdP on loopback). */
  allowedHosts: string[];
  fetchImpl?: typeof fetch;
}

/** Entra's metadata URL answers directly; a few hops cover a proxy or a short link, more is a loop. */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Decides whether one URL may be fetched: http(s) only, no credentials in it, and plain http only
 * for the allowed hosts. Every hop goes through here; the private-address guard belongs here too,
 * which is why it is async.
 */
async function vetUrl(raw: string, allowedHosts: ReadonlySet<string>): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('METADATA_URL_INVALID', undefined, { details: { url: raw } });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('METADATA_URL_INVALID', `The Metadata URL uses ${url.protocol}, not https:.`, { details: { url: raw } });
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('METADATA_URL_INVALID', 'The Metadata URL carries a user name or password.', {
      hint: 'Remove the credentials; Entra metadata URLs are public.',
    });
  }
  if (url.protocol === 'http:' && !allowedHosts.has(url.hostname.toLowerCase())) {
    throw new AppError('METADATA_URL_INVALID', `Plain http is only allowed for ${[...allowedHosts].join(', ')}.`, {
      hint: "Use the https address; Entra's App Federation Metadata Url starts with https://login.microsoftonline.com/.",
      details: { url: url.href },
    });
  }
  return url;
}

/** A relative Location resolves against the current hop; an unparsable one is left for vetUrl to refuse. */
function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function isTimeout(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'));
}

function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** Reads the body chunk by chunk and stops as soon as it passes `maxBytes`. */
async function readBodyWithin(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AppError('METADATA_TOO_LARGE', undefined, { details: { maxBytes } });
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError('METADATA_TOO_LARGE', undefined, { details: { maxBytes } });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Creates the FetchDocument the SP core uses for metadata import. Refusals are AppErrors:
 * METADATA_URL_INVALID, METADATA_UNREACHABLE, METADATA_TIMEOUT, METADATA_HTTP_ERROR (details.status),
 * METADATA_TOO_MANY_REDIRECTS, METADATA_TOO_LARGE.
 */
export function createDocumentFetcher(opts: DocumentFetcherOptions): FetchDocument {
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const allowedHosts: ReadonlySet<string> = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));

  return async (rawUrl) => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let url = await vetUrl(rawUrl, allowedHosts);
    try {
      for (let hop = 0; ; hop += 1) {
        const response = await fetchImpl(url, {
          redirect: 'manual',
          signal,
          headers: { accept: 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1' },
        });
        if (REDIRECT_STATUSES.has(response.status)) {
          await response.body?.cancel().catch(() => undefined);
          const location = response.headers.get('location');
          if (!location) throw new AppError('METADATA_HTTP_ERROR', 'A redirect came without a Location.', { details: { status: response.status } });
          if (hop >= MAX_REDIRECTS) throw new AppError('METADATA_TOO_MANY_REDIRECTS', undefined, { details: { maxRedirects: MAX_REDIRECTS } });
          url = await vetUrl(resolveLocation(location, url), allowedHosts);
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          await response.body?.cancel().catch(() => undefined);
          throw new AppError('METADATA_HTTP_ERROR', `The Metadata URL answered HTTP ${response.status}.`, { details: { status: response.status } });
        }
        const body = await readBodyWithin(response, opts.maxBytes);
        return { body, finalUrl: url.href, contentType: response.headers.get('content-type') };
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isTimeout(err, signal)) throw new AppError('METADATA_TIMEOUT', undefined, { details: { timeoutMs: opts.timeoutMs } });
      throw new AppError('METADATA_UNREACHABLE', undefined, { details: { reason: describeNetworkError(err) }, cause: err });
    }
  };
}
