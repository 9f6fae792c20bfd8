/**
 * One HTTP(S) GET whose connection can only reach vetted addresses. The host name is resolved once,
 * inside the socket's own `lookup`, every address is judged, and the socket connects to exactly those
 * addresses: there is no second resolution a DNS rebinding could answer differently.
 */

import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';
import { type AddressCategory, classifyIpAddress } from './address-guard.js';

/** One resolved address, as dns.lookup({ all: true }) gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injectable so tests can play a hostile DNS. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), as the rest of Node uses it. */
export const resolveWithSystem: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** One request: where, until when, with which headers, and whether addresses are judged. */
export interface TransportRequest {
  signal: AbortSignal;
  headers: Record<string, string>;
  /** False for allowlisted hosts (the built-in mock on loopback): they connect wherever they resolve. */
  checkAddresses: boolean;
}

/** Sends one GET and answers with a WHATWG Response (body streamed, not yet read). */
export type Transport = (url: URL, init: TransportRequest) => Promise<Response>;

/** The refusal for an address the guard does not allow; the hint names the setting to change. */
export function buildAddressRefusal(host: string, address: string, category: AddressCategory): AppError {
  const where = address === host ? host : `${host} (${address})`;
  return new AppError('METADATA_ADDRESS_REFUSED', `The Metadata URL's host ${where} is not a public address: ${category}.`, {
    details: { host, address, category },
  });
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that resolves once and passes on only vetted addresses. Node calls it
 * with `all: true` when it races IPv4 and IPv6 (autoSelectFamily), otherwise for a single address.
 */
function createVettingLookup(resolveHost: ResolveHost, checkAddresses: boolean): LookupFunction {
  return (hostname, options, callback: LookupCallback): void => {
    resolveHost(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? resolved.filter((a) => a.family === options.family) : resolved;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), []);
          return;
        }
        if (checkAddresses) {
          // Every address is judged, not just the first: the socket may fall back to any of them.
          for (const { address } of wanted) {
            const category = classifyIpAddress(address);
            if (category !== 'public') {
              callback(buildAddressRefusal(hostname, address, category), []);
              return;
            }
          }
        }
        const addresses = wanted.map((a) => ({ address: a.address, family: a.family }));
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), []),
    );
  };
}

/** Statuses whose responses have no body by definition; a Response refuses a body for them. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** Wraps Node's response as a WHATWG Response, so the caller reads both transports the same way. */
function toWebResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    res.destroy();
    throw new AppError('METADATA_HTTP_ERROR', `The Metadata URL answered with status ${status}.`, { details: { status } });
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    try {
      headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
    } catch {
      // A header value fetch would refuse is dropped; none of the ones read here can be malformed.
    }
  }
  if (NULL_BODY_STATUSES.has(status)) {
    res.resume();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers });
}

/**
 * Creates the transport the metadata fetcher uses: node:http(s) with a vetting `lookup`, no
 * connection pooling (each hop resolves and connects afresh), and no decompression (the server is
 * asked for identity encoding, so a small compressed body cannot expand past the size cap).
 * IP literals never reach `lookup`; the caller vets them before calling.
 */
export function createGuardedTransport(resolveHost: ResolveHost = resolveWithSystem): Transport {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { ...init.headers, 'accept-encoding': 'identity' },
          agent: false,
          signal: init.signal,
          lookup: createVettingLookup(resolveHost, init.checkAddresses),
        },
        (res) => {
          try {
            resolve(toWebResponse(res));
          } catch (err) {
            reject(err);
          }
        },
      );
      req.once('error', reject);
      req.end();
    });
}
