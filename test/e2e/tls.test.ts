import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PeerCertificate } from 'node:tls';
import { runCertsCommand } from '../../src/cli/certs.command.js';
import { AppError } from '../../src/core/errors.js';
import { REGION_HOSTS } from '../../src/core/sp/regions.js';
import type { Harness } from '../../src/runtime/harness.js';
import { ensureTlsMaterial, resolveTlsPaths } from '../../src/runtime/tls.js';
import { startTestHarness } from '../../src/testing/harness.js';

interface HttpsAnswer {
  status: number;
  body: string;
  peer: PeerCertificate;
}

/** One GET over https with only `ca` trusted; `servername` is the name the certificate must match. */
function getOverHttps(url: string, options: { ca?: string; servername?: string }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: options.ca, servername: options.servername, agent: false, timeout: 5_000 }, (res) => {
      const peer =
        res.socket && 'getPeerCertificate' in res.socket
          ? (res.socket as import('node:tls').TLSSocket).getPeerCertificate()
          : ({} as PeerCertificate);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), peer }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('production-identical URLs: the SP over HTTPS with a local CA', { timeout: 30_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-tls-'));
  const paths = resolveTlsPaths(join(dir, 'tls'));
  let h: Harness;
  let ca: string;

  before(async () => {
    const lines = await runCertsCommand({ dir: paths.dir });
    assert.ok(lines.some((line) => line.includes('update-ca-certificates')));
    h = await startTestHarness({ tls: { enabled: true, dir: paths.dir } });
    assert.ok(h.tls);
    ca = h.tls.ca;
  });
  after(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('certs --ca writes the CA and server keys readable by the owner only', () => {
    assert.equal(statSync(paths.caKey).mode & 0o777, 0o600);
    assert.equal(statSync(paths.key).mode & 0o777, 0o600);
    assert.equal(h.tls?.created.ca, false, 'start --tls used the CA certs --ca made');
    assert.equal(h.tls?.created.server, false, 'and its server certificate');
  });

  test('GET /api/health answers over https to a client that trusts only the generated CA', async () => {
    assert.match(h.spUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await getOverHttps(`${h.spUrl}/api/health`, { ca });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { status: 'ok' });
  });

  test('the served certificate names every Mimecast region host, localhost and 127.0.0.1', async () => {
    const { peer } = await getOverHttps(`${h.spUrl}/api/health`, { ca });
    const san = peer.subjectaltname ?? '';
    const names = san.split(', ');
    assert.ok(names.includes('DNS:eu-api.mimecast.com'), san);
    for (const host of Object.values(REGION_HOSTS)) assert.ok(names.includes(`DNS:${host}`), host);
    assert.ok(names.includes('DNS:localhost'));
    assert.ok(names.includes('IP Address:127.0.0.1'));
  });

  test('a client reaching it as eu-api.mimecast.com (the hosts-file mapping) accepts the certificate', async () => {
    const answer = await getOverHttps(`${h.spUrl}/api/health`, { ca, servername: 'eu-api.mimecast.com' });
    assert.equal(answer.status, 200);
  });

  test('a client that does not trust the CA refuses the connection', async () => {
    await assert.rejects(getOverHttps(`${h.spUrl}/api/health`, {}), (error: NodeJS.ErrnoException) =>
      /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(error.code ?? ''),
    );
  });

  test('the Reply URL Entra is given is the https ACS', async () => {
    const response = await getOverHttps(`${h.spUrl}/api/accounts/CUK12A34`, { ca });
    const account = JSON.parse(response.body) as { urls: { localAcsUrl: string; productionAcsUrl: string } };
    assert.equal(account.urls.localAcsUrl, `${h.spUrl}/login/saml`);
    assert.equal(account.urls.productionAcsUrl, 'https://eu-api.mimecast.com/login/saml');
  });
});

describe('ensureTlsMaterial', { timeout: 30_000 }, () => {
  test('creates the CA and server certificate on first use, then keeps both', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mock-mimecast-tls-')), 'nested', 'tls');
    try {
      const first = await ensureTlsMaterial(dir);
      assert.deepEqual(first.created, { ca: true, server: true });
      const again = await ensureTlsMaterial(dir);
      assert.deepEqual(again.created, { ca: false, server: false });
      assert.equal(again.cert, first.cert);
      const renewed = await ensureTlsMaterial(dir, { renewServer: true });
      assert.deepEqual(renewed.created, { ca: false, server: true });
      assert.equal(renewed.ca, first.ca);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('issues a new server certificate when it is close to its end, keeping the CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-tls-'));
    try {
      const first = await ensureTlsMaterial(dir);
      const later = await ensureTlsMaterial(dir, { now: new Date(Date.parse(first.serverNotAfter) - 10 * 86_400_000) });
      assert.deepEqual(later.created, { ca: false, server: true });
      assert.equal(later.ca, first.ca);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses half a CA with TLS_FILES_INVALID rather than replacing a trusted CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-mimecast-tls-'));
    try {
      await ensureTlsMaterial(dir);
      unlinkSync(resolveTlsPaths(dir).caKey);
      await assert.rejects(ensureTlsMaterial(dir), (error: unknown) => error instanceof AppError && error.code === 'TLS_FILES_INVALID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
