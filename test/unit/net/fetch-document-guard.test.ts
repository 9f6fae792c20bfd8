import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { createDocumentFetcher, type DocumentFetcherOptions } from '../../../src/net/fetch-document.js';
import type { ResolvedAddress, ResolveHost } from '../../../src/net/guarded-transport.js';
import { idp1 } from '../../_helpers/test-keys.js';

const BODY = '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>';

let server: Server;
let port: number;
let requests: string[] = [];
let connections = 0;

function route(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? '');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const to = url.searchParams.get('to');
  if (url.pathname === '/ok') res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(BODY);
  else if (url.pathname === '/redirect' && to) res.writeHead(302, { location: to }).end();
  else res.writeHead(404).end();
}

before(async () => {
  server = createServer(route);
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reset(): void {
  requests = [];
  connections = 0;
}

/** A resolver that answers from a table and counts its calls; an unknown name is ENOTFOUND. */
function stubResolver(table: Record<string, string[]>): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

function fetcher(overrides: Partial<DocumentFetcherOptions> = {}) {
  return createDocumentFetcher({ timeoutMs: 2000, maxBytes: 4096, allowedHosts: [], resolveHost: stubResolver({}), ...overrides });
}

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

describe('metadata fetch: private-address guard', () => {
  it('refuses 127.0.0.1 when it is not allowlisted, before connecting', async () => {
    reset();
    const err = await assertRefused(fetcher()(`https://127.0.0.1:${port}/ok`), 'METADATA_ADDRESS_REFUSED');
    assert.deepEqual(err.details, { host: '127.0.0.1', address: '127.0.0.1', category: 'loopback' });
    assert.match(err.hint, /metadata\.allowedHosts/);
    assert.match(err.hint, /MOCK_MIMECAST_METADATA_ALLOWED_HOSTS/);
    assert.equal(connections, 0);
  });

  it('fetches from 127.0.0.1 when it is allowlisted', async () => {
    reset();
    const doc = await fetcher({ allowedHosts: ['127.0.0.1'] })(`http://127.0.0.1:${port}/ok`);
    assert.equal(doc.body.toString('utf8'), BODY);
    assert.deepEqual(requests, ['/ok']);
  });

  it('refuses loopback written as decimal, octal, hex or mapped IPv6', async () => {
    reset();
    for (const host of ['2130706433', '017700000001', '0x7f.1', '127.1', '[::ffff:127.0.0.1]', '[::1]', '0', 'localhost']) {
      const err = await assertRefused(fetcher()(`https://${host}:${port}/ok`), 'METADATA_ADDRESS_REFUSED');
      assert.ok(['loopback', 'unspecified'].includes((err.details as { category: string }).category), host);
    }
    assert.equal(connections, 0);
  });

  it('refuses cloud metadata endpoints by address and by name, without resolving the name', async () => {
    const resolveHost = stubResolver({ 'metadata.google.internal': ['8.8.8.8'] });
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://metadata.google.internal/computeMetadata/v1/',
    ]) {
      const err = await assertRefused(fetcher({ resolveHost })(url), 'METADATA_ADDRESS_REFUSED');
      assert.equal((err.details as { category: string }).category, 'cloud-metadata', url);
    }
    assert.deepEqual(resolveHost.calls, []);
  });

  it('refuses a public-looking name that resolves to a private address', async () => {
    reset();
    const resolveHost = stubResolver({ 'metadata.example.com': ['127.0.0.1'], 'idp.example.com': ['10.20.30.40'] });
    const loop = await assertRefused(fetcher({ resolveHost })(`https://metadata.example.com:${port}/ok`), 'METADATA_ADDRESS_REFUSED');
    assert.deepEqual(loop.details, { host: 'metadata.example.com', address: '127.0.0.1', category: 'loopback' });
    const lan = await assertRefused(fetcher({ resolveHost })('https://idp.example.com/metadata.xml'), 'METADATA_ADDRESS_REFUSED');
    assert.equal((lan.details as { category: string }).category, 'private');
    assert.equal(connections, 0);
  });

  it('vets every address of a name, not only the first', async () => {
    const resolveHost = stubResolver({ 'mixed.example.com': ['93.184.216.34', '::ffff:10.0.0.7'] });
    const err = await assertRefused(fetcher({ resolveHost })('https://mixed.example.com/metadata.xml'), 'METADATA_ADDRESS_REFUSED');
    assert.deepEqual(err.details, { host: 'mixed.example.com', address: '::ffff:10.0.0.7', category: 'private' });
  });

  it('resolves once per connection and connects to exactly the address it vetted', async () => {
    reset();
    // The name exists only in the stub, so reaching the server proves the socket used the stub's answer.
    const resolveHost = stubResolver({ 'mock-idp.test': ['127.0.0.1'] });
    const doc = await fetcher({ allowedHosts: ['mock-idp.test'], resolveHost })(`http://mock-idp.test:${port}/ok`);
    assert.equal(doc.body.toString('utf8'), BODY);
    assert.deepEqual(resolveHost.calls, ['mock-idp.test']);
    assert.equal(connections, 1);
  });

  it('allowAnyHost (the command line, run by the operator) turns the guard off', async () => {
    reset();
    const doc = await fetcher({ allowAnyHost: true })(`http://127.0.0.1:${port}/ok`);
    assert.equal(doc.body.toString('utf8'), BODY);
  });

  it('a name that does not resolve is METADATA_UNREACHABLE with the resolver code', async () => {
    const err = await assertRefused(fetcher()('https://nowhere.example.com/metadata.xml'), 'METADATA_UNREACHABLE');
    assert.deepEqual(err.details, { reason: 'ENOTFOUND' });
  });

  it('re-checks every redirect hop: an allowed host cannot redirect to a private address', async () => {
    const resolveHost = stubResolver({ 'internal.example.com': ['192.168.1.5'] });
    const fetch = fetcher({ allowedHosts: ['127.0.0.1'], resolveHost });
    const targets: [string, string][] = [
      ['https://10.0.0.1/metadata.xml', 'private'],
      ['https://169.254.169.254/latest/meta-data/iam/', 'cloud-metadata'],
      ['https://[::ffff:a9fe:a9fe]/', 'cloud-metadata'],
      ['https://internal.example.com/federationmetadata.xml', 'private'],
      ['https://100.64.1.1/', 'cgnat'],
    ];
    for (const [target, category] of targets) {
      reset();
      const err = await assertRefused(
        fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(target)}`),
        'METADATA_ADDRESS_REFUSED',
      );
      assert.equal((err.details as { category: string }).category, category, target);
      assert.equal(requests.length, 1);
    }
  });

  it('a redirect to plain http on a host that is not allowlisted is refused', async () => {
    await assertRefused(
      fetcher({ allowedHosts: ['127.0.0.1'] })(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent('http://10.0.0.1/')}`),
      'METADATA_URL_INVALID',
    );
  });

  it('takes https through the same vetting lookup', async () => {
    let tlsConnections = 0;
    const tls = createTlsServer({ key: idp1.key, cert: idp1.cert }, (_req, res) => res.end(BODY));
    tls.on('connection', () => {
      tlsConnections += 1;
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const tlsPort = (tls.address() as AddressInfo).port;
      const resolveHost = stubResolver({ 'tls-idp.test': ['127.0.0.1'] });
      const refused = await assertRefused(fetcher({ resolveHost })(`https://tls-idp.test:${tlsPort}/`), 'METADATA_ADDRESS_REFUSED');
      assert.equal((refused.details as { address: string }).address, '127.0.0.1');
      assert.equal(tlsConnections, 0);
      // Allowlisted, it connects (to the stub's address) and then refuses the self-signed certificate.
      const untrusted = await assertRefused(
        fetcher({ allowedHosts: ['tls-idp.test'], resolveHost })(`https://tls-idp.test:${tlsPort}/`),
        'METADATA_UNREACHABLE',
      );
      assert.match((untrusted.details as { reason: string }).reason, /CERT|SELF_SIGNED|UNABLE/);
      assert.equal(tlsConnections, 1);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });
});
