import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * How long `close()` lets requests in flight finish before cutting their connections: below the 10 s
 * that Docker and most process managers wait between SIGTERM and SIGKILL, well above any SAML exchange.
 */
export const DEFAULT_DRAIN_MS = 8_000;

/** How often idle keep-alive connections are closed while draining: a request that ends leaves one. */
const IDLE_SWEEP_MS = 50;

export interface ListenOptions {
  /** Serve HTTPS with this PEM certificate (chain) and key; plain HTTP when absent. */
  tls?: { cert: string; key: string } | null;
}

export interface Listening {
  server: Server;
  /** http(s)://host:port as actually bound (port 0 resolved). */
  url: string;
  /** Routes requests to this app from now on (until then every request gets 503). */
  attach(app: RequestListener): void;
  /**
   * Stops accepting connections at once, lets requests in flight finish for up to `graceMs`
   * (DEFAULT_DRAIN_MS), closing each keep-alive connection as it goes idle, then cuts whatever is
   * left. Resolves when the server is closed; calling it again returns the same promise.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Opens a port, the only place the product does. The app can be attached after the port is known,
 * which is what lets a harness on port 0 compute its own public URL before building its apps.
 */
export function listen(app: RequestListener | null, host: string, port: number, options: ListenOptions = {}): Promise<Listening> {
  let handler: RequestListener | null = app;
  const route: RequestListener = (req, res) => {
    if (handler) return handler(req, res);
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      .end('{"error":"STARTING","message":"Starting up.","hint":"Retry in a moment."}');
  };
  // An https.Server is an http.Server for every purpose here (close, connections, timeouts).
  const server: Server = options.tls
    ? (createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, route) as unknown as Server)
    : createServer(route);
  const scheme = options.tls ? 'https' : 'http';
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  let closing: Promise<void> | null = null;

  const close = (graceMs: number): Promise<void> =>
    new Promise<void>((done) => {
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        done();
      });
      server.closeIdleConnections();
    });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `${scheme}://${shownHost}:${address.port}`,
        attach: (next) => {
          handler = next;
        },
        close: (closeOptions = {}) => {
          closing ??= close(closeOptions.graceMs ?? DEFAULT_DRAIN_MS);
          return closing;
        },
      });
    });
  });
}
