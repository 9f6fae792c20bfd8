/**
 * Fetches a metadata document over HTTP(S) for "Metadata URL › Import": bounded in time and size,
 * redirects followed by hand so that every hop is vetted the same way as the first URL, and every
 * connection held to public addresses unless its host is allowlisted (see address-guard.ts).
 */
import { AppError } from '../core/errors.js';
import type { FetchDocument } from '../core/sp/context.js';
import { classifyHostName, createHostAllowlist } from './address-guard.js';
import { buildAddressRefusal, createGuardedTransport, type ResolveHost, type Transport } from './guarded-transport.js';

export interface DocumentFetcherOptions {
  /** One deadline for the whole fetch: every redirect hop and the body. */
  timeoutMs: number;
  maxBytes: number;
  /**
   * Hosts that may be fetched over plain http and that skip the private-address guard (the built-in
   * mock IdP on loopback). Config: metadata.allowedHosts / MOCK_MIMECAST_METADATA_ALLOWED_HOSTS.
   */
  allowedHosts: string[];
  /**
   * Treat every host as allowlisted (plain http allowed, no address guard). Only for a caller that is
   * itself the operator, such as `mock-mimecast check --metadata <url>` on the operator's own machine;
   * never for URLs that arrive over the network.
   */
  allowAnyHost?: boolean;
  /** The resolver the guarded transport uses; tests inject a hostile one. Default: dns.lookup. */
  resolveHost?: ResolveHost;
  /**
   * Replaces the transport, and with it the connect-time address check (IP literals and well-known
   * names are still refused before it is called). For tests that have no network; never in production.
   */
  fetchImpl?: typeof fetch;
}

/** Entra's metadata URL answers directly; a few hops cover a proxy or a short link, more is a loop. */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

const REQUEST_HEADERS = {
  accept: 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
  'user-agent': 'mock-mimecast metadata import',
};

/**
 * Decides whether one URL may be fetched: http(s) only, no credentials in it, plain http only for the
 * allowed hosts, and (for hosts not allowed) no IP literal or well-known name that is not public.
 * Names are judged again on the addresses they resolve to, when the transport connects.
 */
function vetUrl(raw: string, isAllowed: (host: string) => boolean): URL {
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
  const allowed = isAllowed(url.hostname);
  if (url.protocol === 'http:' && !allowed) {
    throw new AppError('METADATA_URL_INVALID', 'Plain http is only allowed for the hosts in metadata.allowedHosts.', {
      hint: "Use the https address; Entra's App Federation Metadata Url starts with https://login.microsoftonline.com/.",
      details: { url: url.href },
    });
  }
  if (!allowed) {
    // The URL parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
    const category = classifyHostName(url.hostname);
    if (category !== 'public') throw buildAddressRefusal(url.hostname, url.hostname, category);
  }
  return url;
}

/** Adapts an injected fetch to the transport shape (tests only). */
function adaptFetch(fetchImpl: typeof fetch): Transport {
  return (url, init) => fetchImpl(url, { redirect: 'manual', signal: init.signal, headers: init.headers });
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

/** A short reason for the report: Node's error code (ECONNREFUSED, ENOTFOUND, a TLS code) when there is one. */
function describeNetworkError(err: unknown): string {
  const own = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (typeof own === 'string') return own;
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
 * METADATA_URL_INVALID, METADATA_ADDRESS_REFUSED (details.host, address, category),
 * METADATA_UNREACHABLE, METADATA_TIMEOUT, METADATA_HTTP_ERROR (details.status),
 * METADATA_TOO_MANY_REDIRECTS, METADATA_TOO_LARGE.
 */
export function createDocumentFetcher(opts: DocumentFetcherOptions): FetchDocument {
  const transport = opts.fetchImpl ? adaptFetch(opts.fetchImpl) : createGuardedTransport(opts.resolveHost);
  const isListed = createHostAllowlist(opts.allowedHosts);
  const isAllowed = opts.allowAnyHost === true ? () => true : isListed;

  return async (rawUrl) => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let url = vetUrl(rawUrl, isAllowed);
    try {
      for (let hop = 0; ; hop += 1) {
        const response = await transport(url, { signal, headers: REQUEST_HEADERS, checkAddresses: !isAllowed(url.hostname) });
        if (REDIRECT_STATUSES.has(response.status)) {
          await response.body?.cancel().catch(() => undefined);
          const location = response.headers.get('location');
          if (!location)
            throw new AppError('METADATA_HTTP_ERROR', 'A redirect came without a Location.', { details: { status: response.status } });
          if (hop >= MAX_REDIRECTS)
            throw new AppError('METADATA_TOO_MANY_REDIRECTS', undefined, { details: { maxRedirects: MAX_REDIRECTS } });
          url = vetUrl(resolveLocation(location, url), isAllowed);
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          await response.body?.cancel().catch(() => undefined);
          throw new AppError('METADATA_HTTP_ERROR', `The Metadata URL answered HTTP ${response.status}.`, {
            details: { status: response.status },
          });
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
