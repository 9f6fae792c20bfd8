/**
 * Recorded public Entra messages run through the SP with a frozen clock: metadata of two years, responses
 * of two years, a recorded tampering, Microsoft's documented error response and a WS-Federation token. The
 * SP's own builder writes every other test response, so these are the messages it did not write.
 * `test/_fixtures/real/manifest.json` lists each file with its source, the instant to judge it at and what
 * the SP must conclude; the README there says where each was published and what was changed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseIdpMetadata } from '../../../src/core/saml/metadata.js';
import { readAadstsCode } from '../../../src/core/sp/idp-refusal.js';
import { checkCapturedResponse } from '../../../src/core/sp/offline-check.js';

interface RecordedCapture {
  file: string;
  kind: 'metadata' | 'response' | 'assertion';
  /** Where the capture was published. */
  source: string;
  /** The instant the capture is judged at (ISO). */
  now: string;
  /** For responses: the metadata file whose certificates and entityID are trusted, or a PEM file and an issuer. */
  metadata?: string;
  certificate?: string;
  issuer?: string;
  acsUrl?: string;
  audience?: string;
  expected: {
    ok: boolean;
    failures?: Record<string, string>;
    verifiedSignature?: 'assertion' | 'response';
    aadsts?: string;
    entityId?: string;
    signingCertificates?: number;
    documentSignatureVerified?: boolean;
    findings?: string[];
  };
}

// RECORDED_CAPTURES_DIR runs another folder of the same shape, e.g. to try a new capture before it is filed.
const ROOT = process.env.RECORDED_CAPTURES_DIR
  ? new URL(`file://${process.env.RECORDED_CAPTURES_DIR.replace(/\/?$/, '/')}`)
  : new URL('../../_fixtures/real/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, ROOT), 'utf8');
const captures = JSON.parse(read('manifest.json')) as RecordedCapture[];

/** A bare assertion as the HTTP-POST binding carries one: in an unsigned Response of the same Issuer. */
function wrapAssertion(assertion: string, issuer: string, destination: string, issueInstant: string): string {
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_recorded-envelope" Version="2.0" ` +
    `IssueInstant="${issueInstant}" Destination="${destination}">` +
    `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${issuer}</Issuer>` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    `${assertion}</samlp:Response>`
  );
}

function readAssertionIssuer(assertion: string): string {
  const start = assertion.indexOf('<Issuer>');
  const end = assertion.indexOf('</Issuer>');
  assert.ok(start >= 0 && end > start, 'the assertion names its Issuer');
  return assertion.slice(start + '<Issuer>'.length, end);
}

async function judgeMessage(capture: RecordedCapture): Promise<void> {
  const now = new Date(capture.now);
  assert.ok(capture.acsUrl && capture.audience, 'a response needs acsUrl and audience');
  assert.ok(capture.metadata || (capture.certificate && capture.issuer), 'a response needs metadata, or a certificate and an issuer');
  const metadata = capture.metadata ? parseIdpMetadata(read(capture.metadata), { now }) : null;
  const certificates = metadata ? metadata.signingCertificates.map((c) => c.pem) : [read(capture.certificate as string)];
  let xml = read(capture.file);
  if (capture.kind === 'assertion') xml = wrapAssertion(xml, readAssertionIssuer(xml), capture.acsUrl, capture.now);
  const evaluation = await checkCapturedResponse({
    samlResponse: Buffer.from(xml, 'utf8').toString('base64'),
    certificates,
    issuer: capture.issuer ?? metadata?.entityId ?? null,
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
  if (capture.expected.verifiedSignature) {
    const id = `${capture.expected.verifiedSignature}-signature`;
    assert.equal(evaluation.checks.find((c) => c.id === id)?.status, 'pass', `${id} verified`);
    assert.equal(evaluation.checks.find((c) => c.id === 'node-saml')?.status, 'pass', 'node-saml accepted it too');
  }
  if (capture.expected.aadsts) assert.equal(readAadstsCode(evaluation.facts?.status.message), capture.expected.aadsts);
}

function judgeMetadata(capture: RecordedCapture): void {
  const metadata = parseIdpMetadata(read(capture.file), { now: new Date(capture.now) });
  const { expected } = capture;
  assert.equal(metadata.signingCertificates.length > 0, expected.ok);
  if (expected.entityId !== undefined) assert.equal(metadata.entityId, expected.entityId);
  if (expected.signingCertificates !== undefined) assert.equal(metadata.signingCertificates.length, expected.signingCertificates);
  if (expected.documentSignatureVerified !== undefined) {
    assert.equal(metadata.documentSignature.present, true);
    assert.equal(metadata.documentSignature.verified, expected.documentSignatureVerified);
  }
  if (expected.findings) {
    const codes = metadata.findings.map((f) => f.code).filter((c) => c !== 'METADATA_UNSIGNED');
    assert.deepEqual(codes, expected.findings);
  }
}

describe('recorded public Entra captures', () => {
  test('the manifest lists metadata, responses and an error response', () => {
    const kinds = new Set(captures.map((c) => c.kind));
    assert.ok(kinds.has('metadata') && kinds.has('response'));
    assert.ok(captures.some((c) => c.expected.failures?.status === 'SP_STATUS_NOT_SUCCESS'));
    for (const capture of captures) assert.ok(capture.source.length > 0, `${capture.file} names its source`);
  });

  for (const capture of captures) {
    test(`${capture.kind} ${capture.file} (${capture.source})`, async () => {
      if (capture.kind === 'metadata') judgeMetadata(capture);
      else await judgeMessage(capture);
    });
  }

  test('a recorded Entra response with its NameID changed fails on the digest, not on anything weaker', async () => {
    const capture = captures.find((c) => c.file === '2018-response-assertion-signed.xml');
    assert.ok(capture?.metadata && capture.acsUrl && capture.audience);
    const now = new Date(capture.now);
    const metadata = parseIdpMetadata(read(capture.metadata), { now });
    const original = read(capture.file);
    const forged = original.replace('>xJxdqS8W2UXawbZZqpGFXKG4uEmO5GjijKD2RkMipBo<', '>admin@contoso.com<');
    assert.notEqual(forged, original);
    const evaluation = await checkCapturedResponse({
      samlResponse: Buffer.from(forged, 'utf8').toString('base64'),
      certificates: metadata.signingCertificates.map((c) => c.pem),
      issuer: metadata.entityId,
      acsUrl: capture.acsUrl,
      audience: capture.audience,
      now,
      clockFrozen: true,
      validation: { clockSkewMs: 180_000, maxSamlBytes: 256 * 1024, refuseSha1: false },
      decryptionKey: null,
    });
    assert.equal(evaluation.ok, false);
    assert.equal(evaluation.checks.find((c) => c.id === 'assertion-signature')?.code, 'SP_SIGNATURE_DIGEST_MISMATCH');
    assert.equal(evaluation.checks.find((c) => c.id === 'signature')?.status, 'fail');
  });
});
