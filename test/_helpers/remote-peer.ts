/**
 * Serves an app as if every connection came from `address`: supertest always connects from
 * loopback, and the admin guard decides on the socket's peer address, not on any header.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

/** An unstarted server whose requests report `address` as req.socket.remoteAddress; supertest listens on it. */
export function serveFromPeer(app: RequestListener, address: string): Server {
  return createServer((req, res) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: address, configurable: true });
    app(req, res);
  });
}
