import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { pino } from 'pino';
import { AppError } from '../../../src/core/errors.js';
import { buildFederationMetadata } from '../../../src/core/idp/federation-metadata.js';
import { describeCertificate } from '../../../src/core/saml/certs.js';
import { buildDefaultProfile } from '../../../src/core/sp/accounts.js';
import type { FetchDocument, SpContext } from '../../../src/core/sp/context.js';
import type { MetadataEvent } from '../../../src/core/sp/metadata-diff.js';
import { runMetadataCheck, runMetadataChecks } from '../../../src/core/sp/metadata-monitor.js';
import { startMetadataMonitor } from '../../../src/runtime/metadata-monitor.js';
import { TEST_TENANT_ID } from '../../_helpers/idp-signer.js';
import { ACCOUNT, createTestSpCore, NOW, type TestSpCore } from '../../_helpers/sp-core.js';
import { idp1, idp2 } from '../../_helpers/test-keys.js';

const METADATA_URL = `https://login.microsoftonline.com/${TEST_TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml?appid=app-1`;
const ONE = describeCertificate(idp1.cert).thumbprint;
const TWO = describeCertificate(idp2.cert).thumbprint;

/** Entra's metadata for the test tenant, certificates in the given order (the active one first). */
function buildMetadata(certificates: string[], idpBaseUrl = 'https://login.microsoftonline.com'): Buffer {
  const xml = buildFederationMetadata({
    tenantId: TEST_TENANT_ID,
    idpBaseUrl,
    certificates,
    signingKey: idp1.key,
    signingCert: idp1.cert,
    documentId: '_0b7a1c2d-0000-4000-8000-000000000001',
  });
  return Buffer.from(xml, 'utf8');
}

function serve(body: Buffer | (() => Promise<Buffer>)): FetchDocument & { calls: string[] } {
  const calls: string[] = [];
  const fetchDocument = async (url: string) => {
    calls.push(url);
    return { body: typeof body === 'function' ? await body() : body, finalUrl: url, contentType: 'application/xml' };
  };
  return Object.assign(fetchDocument, { calls });
}

function summarise(events: MetadataEvent[]): [string, string | null][] {
  return events.map((e) => [e.kind, e.thumbprint]);
}

describe('runMetadataCheck (Monitor Metadata URL)', () => {
  let t: TestSpCore;
  let ctx: SpContext;

  beforeEach(async () => {
    t = await createTestSpCore({ profile: { metadataUrl: METADATA_URL, monitorMetadataUrl: true } });
    ctx = t.ctx;
  });
  afterEach(() => t.close());

  test('metadata that matches the profile is unchanged: no event, the profile not even re-saved', async () => {
    ctx = { ...ctx, fetchDocument: serve(buildMetadata([idp1.cert])) };
    const before = await ctx.stores.profiles.get(ACCOUNT.code);
    t.clock.advance(60_000);
    const result = await runMetadataCheck(ctx, ACCOUNT.code);
    assert.equal(result.outcome, 'unchanged');
    assert.deepEqual(result.events, []);
    assert.deepEqual(await ctx.stores.profiles.get(ACCOUNT.code), before);
    assert.deepEqual(await ctx.stores.metadataEvents.list(ACCOUNT.code), []);
  });

  test('a certificate rollover is recorded (added, activated) and the profile trusts the new order', async () => {
    ctx = { ...ctx, fetchDocument: serve(buildMetadata([idp2.cert, idp1.cert])) };
    t.clock.advance(60_000);
    const result = await runMetadataCheck(ctx, ACCOUNT.code);
    assert.equal(result.outcome, 'changed');
    assert.deepEqual(summarise(result.events), [
      ['certificate-added', TWO],
      ['certificate-activated', TWO],
    ]);
    const profile = await ctx.stores.profiles.get(ACCOUNT.code);
    assert.deepEqual(
      profile?.idpCertificates.map((pem) => describeCertificate(pem).thumbprint),
      [TWO, ONE],
    );
    assert.equal(profile?.updatedAt, t.clock.now().toISOString());
    const stored = await ctx.stores.metadataEvents.list(ACCOUNT.code);
    assert.deepEqual(stored.map((e) => e.kind).sort(), ['certificate-activated', 'certificate-added']);
    assert.ok(stored.every((e) => e.at === t.clock.now().toISOString() && e.code === null && e.accountCode === ACCOUNT.code));
  });

  test('changed endpoints are recorded and filled as Import fills them', async () => {
    ctx = { ...ctx, fetchDocument: serve(buildMetadata([idp1.cert], 'https://login.partner.microsoftonline.cn')) };
    const result = await runMetadataCheck(ctx, ACCOUNT.code);
    assert.deepEqual(
      result.events.map((e) => e.kind),
      ['login-url-changed', 'logout-url-changed'],
    );
    const profile = await ctx.stores.profiles.get(ACCOUNT.code);
    assert.equal(profile?.loginUrl, `https://login.partner.microsoftonline.cn/${TEST_TENANT_ID}/saml2`);
  });

  test('a failed fetch records fetch-failed with its code and leaves the profile exactly as it was', async () => {
    const before = await ctx.stores.profiles.get(ACCOUNT.code);
    ctx = {
      ...ctx,
      fetchDocument: async () => {
        throw new AppError('METADATA_HTTP_ERROR', undefined, { details: { status: 404 } });
      },
    };
    const result = await runMetadataCheck(ctx, ACCOUNT.code);
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(
      result.events.map((e) => [e.kind, e.code]),
      [['fetch-failed', 'METADATA_HTTP_ERROR']],
    );
    assert.match(result.events[0]?.detail ?? '', /HTTP 404/);
    assert.deepEqual(await ctx.stores.profiles.get(ACCOUNT.code), before);
    assert.equal((await ctx.stores.metadataEvents.list(ACCOUNT.code)).length, 1);
  });

  test('a document that is not metadata records fetch-failed METADATA_INVALID; a bug records INTERNAL', async () => {
    ctx = { ...ctx, fetchDocument: serve(Buffer.from('<html>sign in</html>')) };
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).events[0]?.code, 'METADATA_INVALID');
    ctx = {
      ...ctx,
      fetchDocument: async () => {
        throw new TypeError('boom');
      },
    };
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).events[0]?.code, 'INTERNAL');
  });

  test('monitoring off, or no Metadata URL, is skipped without fetching', async () => {
    const fetchDocument = serve(buildMetadata([idp2.cert]));
    ctx = { ...ctx, fetchDocument };
    const profile = await ctx.stores.profiles.get(ACCOUNT.code);
    assert.ok(profile);
    await ctx.stores.profiles.put({ ...profile, monitorMetadataUrl: false });
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).outcome, 'skipped');
    await ctx.stores.profiles.put({ ...profile, metadataUrl: null });
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).outcome, 'skipped');
    assert.equal((await runMetadataCheck(ctx, 'CNOSUCH1')).outcome, 'skipped');
    assert.deepEqual(fetchDocument.calls, []);
  });

  test('a profile saved while the fetch was in flight keeps its other settings', async () => {
    ctx = {
      ...ctx,
      fetchDocument: serve(async () => {
        const profile = await t.stores.profiles.get(ACCOUNT.code);
        assert.ok(profile);
        await t.stores.profiles.put({ ...profile, allowSingleSignOn: false, description: 'edited meanwhile' });
        return buildMetadata([idp2.cert, idp1.cert]);
      }),
    };
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).outcome, 'changed');
    const profile = await ctx.stores.profiles.get(ACCOUNT.code);
    assert.equal(profile?.allowSingleSignOn, false);
    assert.equal(profile?.description, 'edited meanwhile');
    assert.equal(profile?.idpCertificates.length, 2);
  });

  test('a Metadata URL changed while the fetch was in flight is not overwritten with the old document', async () => {
    ctx = {
      ...ctx,
      fetchDocument: serve(async () => {
        const profile = await t.stores.profiles.get(ACCOUNT.code);
        assert.ok(profile);
        await t.stores.profiles.put({ ...profile, metadataUrl: `${METADATA_URL}-other` });
        return buildMetadata([idp2.cert]);
      }),
    };
    assert.equal((await runMetadataCheck(ctx, ACCOUNT.code)).outcome, 'skipped');
    assert.deepEqual(
      (await ctx.stores.profiles.get(ACCOUNT.code))?.idpCertificates.map((p) => describeCertificate(p).thumbprint),
      [ONE],
    );
  });

  test('runMetadataChecks checks only accounts that monitor their Metadata URL', async () => {
    await ctx.stores.accounts.create({
      code: 'CUK99Z99',
      region: 'eu',
      name: 'Other',
      domains: ['other.test'],
      createdAt: NOW.toISOString(),
    });
    await ctx.stores.profiles.put({ ...buildDefaultProfile('CUK99Z99', NOW), metadataUrl: METADATA_URL, monitorMetadataUrl: false });
    const fetchDocument = serve(buildMetadata([idp1.cert, idp2.cert]));
    const results = await runMetadataChecks({ ...ctx, fetchDocument });
    assert.deepEqual(
      results.map((r) => [r.accountCode, r.outcome]),
      [[ACCOUNT.code, 'changed']],
    );
    assert.equal(fetchDocument.calls.length, 1);
  });
});

describe('SqliteMetadataEventStore', () => {
  let t: TestSpCore;
  beforeEach(async () => {
    t = await createTestSpCore();
  });
  afterEach(() => t.close());

  function event(id: string, at: string, accountCode = ACCOUNT.code): MetadataEvent {
    return { id, accountCode, at, kind: 'certificate-added', detail: 'x', thumbprint: ONE, code: null };
  }

  test('lists newest first (insertion order within one instant), honours limit, prunes by age and count', async () => {
    await t.stores.metadataEvents.add([
      event('a', '2027-01-01T00:00:00Z'),
      event('b', '2027-02-01T00:00:00Z'),
      event('c', '2027-02-01T00:00:00Z'),
    ]);
    assert.deepEqual(
      (await t.stores.metadataEvents.list(ACCOUNT.code)).map((e) => e.id),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      (await t.stores.metadataEvents.list(ACCOUNT.code, { limit: 1 })).map((e) => e.id),
      ['c'],
    );
    assert.equal(await t.stores.metadataEvents.prune({ maxPerAccount: 10, olderThan: new Date('2027-01-15T00:00:00Z') }), 1);
    assert.equal(await t.stores.metadataEvents.prune({ maxPerAccount: 1, olderThan: new Date(0) }), 1);
    assert.deepEqual(
      (await t.stores.metadataEvents.list(ACCOUNT.code)).map((e) => e.id),
      ['c'],
    );
  });

  test('adds all events of a check or none, and drops them with their account', async () => {
    await assert.rejects(t.stores.metadataEvents.add([event('d', '2027-01-01T00:00:00Z'), event('e', '2027-01-01T00:00:00Z', 'CNOSUCH1')]));
    assert.deepEqual(await t.stores.metadataEvents.list(ACCOUNT.code), []);
    await t.stores.metadataEvents.add([event('f', '2027-01-01T00:00:00Z')]);
    await t.stores.accounts.delete(ACCOUNT.code);
    assert.deepEqual(await t.stores.metadataEvents.list(ACCOUNT.code), []);
  });
});

describe('startMetadataMonitor (the schedule)', () => {
  test('runs rounds on its interval, never two at once, and stop() waits for the round in flight', async () => {
    const t = await createTestSpCore({ profile: { metadataUrl: METADATA_URL, monitorMetadataUrl: true } });
    let inFlight = 0;
    let maxInFlight = 0;
    let rounds = 0;
    const slow = serve(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 60));
      inFlight -= 1;
      rounds += 1;
      return buildMetadata([idp1.cert]);
    });
    const monitor = startMetadataMonitor(
      { ...t.ctx, fetchDocument: slow },
      { intervalMs: 15, logger: pino({ level: 'silent' }), maxAgeDays: 30 },
    );
    try {
      const deadline = Date.now() + 3_000;
      while (rounds < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(rounds >= 2, `rounds: ${rounds}`);
      const results = await monitor.runNow();
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['unchanged'],
      );
    } finally {
      await monitor.stop();
      await monitor.stop();
    }
    assert.equal(inFlight, 0, 'stop() waited for the round in flight');
    assert.equal(maxInFlight, 1);
    const after = rounds;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(rounds, after, 'no round after stop()');
    await t.close();
  });
});
