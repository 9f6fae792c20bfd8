import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface Listening {
  server: Server;
  /** http://host:port as actually bound (port 0 resolved). */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens with an app built by a factory: the only place the product opens a port. Keep-alive sockets
 * are closed on shutdown so `close()` resolves promptly.
 */
export function listen(app: RequestListener, host: string, port: number): Promise<Listening> {
  const server = createServer(app);
  // Entra's POST back and slow browsers are fine with these; they bound idle sockets from load tests.
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
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
