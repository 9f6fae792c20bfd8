/**
 * Recorded public Entra messages run through the SP with a frozen clock: metadata of several years,
 * responses under each signing option, SHA-1, error responses. The SP's own builder writes every other
 * test response, so these are the messages it did not write. They are public captures, kept beside
 * the project rather than in it: `../shared/fixtures/entra-recorded/manifest.json` lists each file with
 * its source, the instant to judge it at, and what the SP must conclude (see test/_fixtures/README.md).
 * Without that folder the suite says so and runs nothing here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseIdpMetadata } from '../../../src/core/saml/metadata.js';
import { checkCapturedResponse } from '../../../src/core/sp/offline-check.js';

interface RecordedCapture {
  file: string;
  kind: 'metadata' | 'response';
  /** Where the capture was published. */
  source: string;
  /** The instant the capture is judged at (ISO). */
  now: string;
  /** For responses: the metadata file whose certificates and issuer are trusted, and the SP's URLs. */
  metadata?: string;
  acsUrl?: string;
  audience?: string;
  /** What must come out: sign-in (or import) succeeds, or these check ids fail with these codes. */
  expected: { ok: boolean; failures?: Record<string, string> };
}

// RECORDED_CAPTURES_DIR points elsewhere, e.g. to try a new capture before it is filed.
const ROOT = process.env.RECORDED_CAPTURES_DIR
  ? new URL(`file://${process.env.RECORDED_CAPTURES_DIR.replace(/\/?$/, '/')}`)
  : new URL('../../../../shared/fixtures/entra-recorded/', import.meta.url);
const manifestUrl = new URL('manifest.json', ROOT);
const available = existsSync(manifestUrl);
const captures: RecordedCapture[] = available ? (JSON.parse(readFileSync(manifestUrl, 'utf8')) as RecordedCapture[]) : [];
const read = (file: string): string => readFileSync(new URL(file, ROOT), 'utf8');

describe('recorded public Entra captures', {
  skip: available ? false : 'no recorded captures beside the project (../shared/fixtures/entra-recorded/manifest.json)',
}, () => {
  for (const capture of captures) {
    test(`${capture.kind} ${capture.file} (${capture.source})`, async () => {
      const now = new Date(capture.now);
      if (capture.kind === 'metadata') {
        const metadata = parseIdpMetadata(read(capture.file), { now });
        assert.equal(metadata.signingCertificates.length > 0, capture.expected.ok);
        return;
      }
      assert.ok(capture.metadata && capture.acsUrl && capture.audience, 'a response needs metadata, acsUrl and audience');
      const metadata = parseIdpMetadata(read(capture.metadata), { now });
      const evaluation = await checkCapturedResponse({
        samlResponse: Buffer.from(read(capture.file), 'utf8').toString('base64'),
        certificates: metadata.signingCertificates.map((c) => c.pem),
        issuer: metadata.entityId,
        acsUrl: capture.acsUrl,
        audience: capture.audience,
        now,
        clockFrozen: true,
        validation: { clockSkewMs: 180_000, maxSamlBytes: 256 * 1024, refuseSha1: false },
        decryptionKey: null,
      });
      const failed = Object.fromEntries(evaluation.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.code]));
      assert.deepEqual(failed, capture.expected.failures ?? {});
      assert.equal(evaluation.ok, capture.expected.ok);
    });
  }
});
