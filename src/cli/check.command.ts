import { readFileSync } from 'node:fs';
import { defaults } from '../config/defaults.js';
import { readValidationSettings } from '../config/validation.js';
import { AppError } from '../core/errors.js';
import { normalizeCertificatePem } from '../core/saml/certs.js';
import { parseIdpMetadata } from '../core/saml/metadata.js';
import { checkCapturedResponse } from '../core/sp/offline-check.js';
import type { CheckResult } from '../core/sp/traces.js';
import { createDocumentFetcher } from '../net/fetch-document.js';
import { readSpKeys } from '../runtime/keys.js';
import { type CapturedResponse, extractResponses, readCheckInput } from './capture-input.js';
import { readInputFile } from './cli-files.js';
import { formatCheckedResponses } from './format-report.js';

export interface CheckOptions {
  metadata?: string;
  cert?: string[];
  issuer?: string;
  acs: string;
  audience: string;
  now?: string;
  skew: string;
  refuseSha1?: boolean;
  json?: boolean;
}

/** One SAMLResponse of the input with its verdict: what `check --json` prints under `responses`. */
export interface CheckedResponse extends Omit<CapturedResponse, 'samlResponse'> {
  /** 1-based position in the capture. */
  index: number;
  /** The instant the time windows were judged at. */
  judgedAt: string;
  ok: boolean;
  checks: CheckResult[];
}

/** The IdP's certificates and issuer, from --metadata (file or URL) and --cert files. */
async function readTrust(options: CheckOptions, now: Date): Promise<{ certificates: string[]; issuer: string | null }> {
  let certificates = (options.cert ?? []).map((path) => normalizeCertificatePem(readInputFile(path, '--cert')));
  let issuer = options.issuer ?? null;
  if (options.metadata) {
    const isUrl = /^https?:\/\//.test(options.metadata);
    const xml = isUrl
      ? (
          await createDocumentFetcher({
            timeoutMs: defaults.metadata.fetchTimeoutMs,
            maxBytes: defaults.metadata.maxBytes,
            allowedHosts: [],
            allowAnyHost: true,
          })(options.metadata)
        ).body.toString('utf8')
      : readInputFile(options.metadata, '--metadata');
    const metadata = parseIdpMetadata(xml, { now, sourceUrl: isUrl ? options.metadata : null });
    certificates = [...certificates, ...metadata.signingCertificates.map((c) => c.pem)];
    issuer ??= metadata.entityId;
  }
  if (certificates.length === 0)
    throw new AppError('VALIDATION_FAILED', 'Give the IdP metadata (--metadata) or a certificate (--cert).', {
      hint: "Entra's 'Federation Metadata XML' download or 'Certificate (Base64)' both work.",
    });
  return { certificates, issuer };
}

/**
 * `mock-mimecast check`: evaluates every SAMLResponse of a capture offline. Without --now, a response
 * whose capture records when the browser sent it (HAR) is judged at that instant, any other now.
 * Returns the exit code: 0 when every response would sign in, 1 when any would not; what cannot be
 * read throws (exit 2).
 */
export async function runCheckCommand(
  response: string,
  options: CheckOptions,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const fixedNow = options.now === undefined ? null : new Date(options.now);
  if (fixedNow !== null && Number.isNaN(fixedNow.getTime()))
    throw new AppError('VALIDATION_FAILED', `--now "${options.now}" is not an ISO time.`, { hint: 'Use e.g. --now 2026-11-26T10:00:00Z.' });
  const skew = Number(options.skew);
  if (!Number.isInteger(skew) || skew < 0) throw new AppError('VALIDATION_FAILED', '--skew must be a whole number of seconds.');
  const captured = extractResponses(readCheckInput(response, () => readFileSync(0, 'utf8')));
  const trust = await readTrust(options, fixedNow ?? new Date());
  const decryptionKey = readSpKeys().encryptionKey;
  const results: CheckedResponse[] = [];
  for (const [i, capture] of captured.entries()) {
    const sentAt = capture.timeKind === 'sent' && capture.time !== null ? new Date(capture.time) : null;
    const now = fixedNow ?? (sentAt !== null && !Number.isNaN(sentAt.getTime()) ? sentAt : new Date());
    const evaluation = await checkCapturedResponse({
      samlResponse: capture.samlResponse,
      ...trust,
      acsUrl: options.acs,
      audience: options.audience,
      now,
      clockFrozen: fixedNow !== null || sentAt !== null,
      validation: {
        ...readValidationSettings(defaults.saml),
        clockSkewMs: skew * 1000,
        ...(options.refuseSha1 ? { refuseSha1: true } : {}),
      },
      decryptionKey,
    });
    const { samlResponse: _raw, ...about } = capture;
    results.push({ index: i + 1, ...about, judgedAt: now.toISOString(), ok: evaluation.ok, checks: evaluation.checks });
  }
  const ok = results.every((r) => r.ok);
  if (options.json) {
    // `checks` at the top as well when there is one response, as before captures with several existed.
    const single = results.length === 1 ? { checks: results[0]?.checks } : {};
    write(`${JSON.stringify({ ok, ...single, responses: results }, null, 2)}\n`);
  } else {
    write(`${formatCheckedResponses(results)}\n`);
  }
  return ok ? 0 : 1;
}
