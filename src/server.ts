import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  /** http://host:port as actually bound (port 0 resolved). */
  url: string;
  /** Routes requests to this app from now on (until then every request gets 503). */
  attach(app: RequestListener): void;
  close(): Promise<void>;
}

/**
 * Opens a port, the only place the product does. The app can be attached after the port is known,
 * which is what lets a harness on port 0 compute its own public URL before building its apps.
 * Keep-alive sockets are closed on shutdown so `close()` resolves promptly.
 */
export function listen(app: RequestListener | null, host: string, port: number): Promise<Listening> {
  let handler: RequestListener | null = app;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":"STARTING","message":"Starting up.","hint":"Retry in a moment."}');
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${shownHost}:${address.port}`,
        attach: (next) => {
          handler = next;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
