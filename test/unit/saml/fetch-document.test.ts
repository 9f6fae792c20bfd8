import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { createDocumentFetcher } from '../../../src/net/fetch-document.js';

const BODY = '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>';

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
  if (url.pathname === '/ok') {
    res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(BODY);
  } else if (url.pathname === '/missing') {
    res.writeHead(404).end('not here');
  } else if (url.pathname === '/hang') {
    // Never answers: the fetcher's deadline must end it.
  } else if (url.pathname === '/stall') {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.write('<EntityDescriptor');
  } else if (url.pathname === '/big-declared') {
    res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
  } else if (url.pathname === '/big-chunked') {
    res.writeHead(200, { 'content-type': 'text/xml' });
    for (let i = 0; i < 10; i += 1) res.write('y'.repeat(500));
    res.end();
  } else if (hop) {
    const n = Number(hop[1]);
    res.writeHead(302, { location: n <= 1 ? '/ok' : `/hop/${n - 1}` }).end();
  } else if (url.pathname === '/to-ftp') {
    res.writeHead(301, { location: 'ftp://127.0.0.1/metadata.xml' }).end();
  } else if (url.pathname === '/no-location') {
    res.writeHead(302).end();
  } else {
    res.writeHead(500).end();
  }
}

let server: Server;
let base: string;

before(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// Generous by default, so a fetch that must succeed does not time out on a loaded machine; the timeout
// tests set their own short deadline.
const fetcher = (overrides: Partial<Parameters<typeof createDocumentFetcher>[0]> = {}) =>
  createDocumentFetcher({ timeoutMs: 5_000, maxBytes: 2048, allowedHosts: ['localhost', '127.0.0.1', '[::1]'], ...overrides });

async function assertRefused(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('createDocumentFetcher', () => {
  test('fetches a document', async () => {
    const doc = await fetcher()(`${base}/ok`);
    assert.equal(doc.body.toString('utf8'), BODY);
    assert.equal(doc.finalUrl, `${base}/ok`);
    assert.equal(doc.contentType, 'application/samlmetadata+xml');
  });

  test('a 404 is METADATA_HTTP_ERROR with the status', async () => {
    const err = await assertRefused(fetcher()(`${base}/missing`), 'METADATA_HTTP_ERROR');
    assert.deepEqual(err.details, { status: 404 });
  });

  test('a server that never answers is METADATA_TIMEOUT', async () => {
    await assertRefused(fetcher({ timeoutMs: 200 })(`${base}/hang`), 'METADATA_TIMEOUT');
  });

  test('a body that stalls is METADATA_TIMEOUT', async () => {
    await assertRefused(fetcher({ timeoutMs: 200 })(`${base}/stall`), 'METADATA_TIMEOUT');
  });

  test('a body over maxBytes is METADATA_TOO_LARGE, declared or streamed', async () => {
    await assertRefused(fetcher()(`${base}/big-declared`), 'METADATA_TOO_LARGE');
    await assertRefused(fetcher()(`${base}/big-chunked`), 'METADATA_TOO_LARGE');
  });

  test('follows up to three redirects and reports the final URL', async () => {
    const doc = await fetcher()(`${base}/hop/3`);
    assert.equal(doc.body.toString('utf8'), BODY);
    assert.equal(doc.finalUrl, `${base}/ok`);
  });

  test('more than three redirects is METADATA_TOO_MANY_REDIRECTS', async () => {
    await assertRefused(fetcher()(`${base}/hop/4`), 'METADATA_TOO_MANY_REDIRECTS');
  });

  test('a redirect to another scheme is refused', async () => {
    await assertRefused(fetcher()(`${base}/to-ftp`), 'METADATA_URL_INVALID');
  });

  test('a redirect without Location is METADATA_HTTP_ERROR', async () => {
    await assertRefused(fetcher()(`${base}/no-location`), 'METADATA_HTTP_ERROR');
  });

  test('refuses non-http schemes and non-URLs', async () => {
    await assertRefused(fetcher()('ftp://127.0.0.1/metadata.xml'), 'METADATA_URL_INVALID');
    await assertRefused(fetcher()('file:///etc/passwd'), 'METADATA_URL_INVALID');
    await assertRefused(fetcher()('not a url'), 'METADATA_URL_INVALID');
  });

  test('refuses plain http to a host that is not allowed', async () => {
    await assertRefused(fetcher({ allowedHosts: [] })(`${base}/ok`), 'METADATA_URL_INVALID');
  });

  test('refuses credentials in the URL', async () => {
    await assertRefused(fetcher()(`http://user:secret@127.0.0.1:1/ok`), 'METADATA_URL_INVALID');
  });

  test('a refused connection is METADATA_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assertRefused(fetcher()(`http://127.0.0.1:${port}/ok`), 'METADATA_UNREACHABLE');
  });

  test('uses the injected fetch and asks it not to follow redirects', async () => {
    const seen: RequestInit[] = [];
    const fake = (async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push(init ?? {});
      return new Response('oops', { status: 503 });
    }) as typeof fetch;
    const err = await assertRefused(fetcher({ fetchImpl: fake })('https://login.example/metadata.xml'), 'METADATA_HTTP_ERROR');
    assert.deepEqual(err.details, { status: 503 });
    assert.equal(seen[0]?.redirect, 'manual');
  });
});
