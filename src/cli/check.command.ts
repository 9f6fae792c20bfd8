import { existsSync, readFileSync } from 'node:fs';
import { defaults } from '../config/defaults.js';
import { readValidationSettings } from '../config/validation.js';
import { AppError } from '../core/errors.js';
import { encodePostBinding } from '../core/saml/bindings.js';
import { parseIdpMetadata } from '../core/saml/metadata.js';
import { normalizeCertificatePem } from '../core/saml/certs.js';
import { checkCapturedResponse } from '../core/sp/offline-check.js';
import { createDocumentFetcher } from '../net/fetch-document.js';
import { readSpKeys } from '../runtime/keys.js';
import { formatChecks } from './format-report.js';

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

/**
 * Reads a captured SAMLResponse: a file or literal holding base64, raw XML, or a form body
 * (`SAMLResponse=...&RelayState=...`, as SAML-tracer and browser dev tools copy it).
 */
export function readCapturedResponse(input: string): string {
  const text = (input !== '-' && existsSync(input) ? readFileSync(input, 'utf8') : input === '-' ? readFileSync(0, 'utf8') : input).trim();
  if (text.startsWith('<') || text.startsWith('\uFEFF<')) return encodePostBinding(text);
  if (/(^|&)SAMLResponse=/.test(text)) return new URLSearchParams(text).get('SAMLResponse') ?? '';
  return text;
}

/** `mock-mimecast check`: evaluates a capture offline; exit code 0 when it would sign in, 1 when not. */
export async function runCheckCommand(response: string, options: CheckOptions): Promise<number> {
  const now = options.now ? new Date(options.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new AppError('VALIDATION_FAILED', `--now "${options.now}" is not an ISO time.`, { hint: 'Use e.g. --now 2026-11-26T10:00:00Z.' });
  const skew = Number(options.skew);
  if (!Number.isInteger(skew) || skew < 0) throw new AppError('VALIDATION_FAILED', '--skew must be a whole number of seconds.');
  let certificates = (options.cert ?? []).map((path) => normalizeCertificatePem(readFileSync(path, 'utf8')));
  let issuer = options.issuer ?? null;
  if (options.metadata) {
    const xml = /^https?:\/\//.test(options.metadata)
      ? (await createDocumentFetcher({ timeoutMs: defaults.metadata.fetchTimeoutMs, maxBytes: defaults.metadata.maxBytes, allowedHosts: [], allowAnyHost: true })(options.metadata)).body.toString('utf8')
      : readFileSync(options.metadata, 'utf8');
    const metadata = parseIdpMetadata(xml, { now, sourceUrl: /^https?:/.test(options.metadata) ? options.metadata : null });
    certificates = [...certificates, ...metadata.signingCertificates.map((c) => c.pem)];
    issuer ??= metadata.entityId;
  }
  if (certificates.length === 0) throw new AppError('VALIDATION_FAILED', 'Give the IdP metadata (--metadata) or a certificate (--cert).', { hint: "Entra's 'Federation Metadata XML' download or 'Certificate (Base64)' both work." });
  const evaluation = await checkCapturedResponse({
    samlResponse: readCapturedResponse(response),
    certificates,
    issuer,
    acsUrl: options.acs,
    audience: options.audience,
    now,
    clockFrozen: Boolean(options.now),
    validation: { ...readValidationSettings(defaults.saml), clockSkewMs: skew * 1000, ...(options.refuseSha1 ? { refuseSha1: true } : {}) },
    decryptionKey: readSpKeys().encryptionKey,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: evaluation.ok, checks: evaluation.checks }, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatChecks(evaluation.checks)}\n`);
  }
  return evaluation.ok ? 0 : 1;
}
