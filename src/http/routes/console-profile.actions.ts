/**
 * The Administration Console's "Metadata URL › Import": the same fetch, parse and field mapping as
 * importProfileMetadata (the JSON API), without the save. As in Mimecast, Import fills the form's
 * fields and "Save and Exit" stores them. No HTTP in here, so this can move under core/sp unchanged.
 */
import { AppError } from '../../core/errors.js';
import { describeCertificate, isCertificateValidAt } from '../../core/saml/certs.js';
import { parseIdpMetadata } from '../../core/saml/metadata.js';
import type { CertificateInfo, Finding } from '../../core/saml/types.js';
import { buildDefaultProfile } from '../../core/sp/accounts.js';
import type { SpContext } from '../../core/sp/context.js';
import { applyMetadataToProfile } from '../../core/sp/profile-import.js';
import { requireAccount } from './account.actions.js';

/** What Import puts into the form, and what it found worth saying about the document. */
export interface MetadataPreview {
  metadataUrl: string;
  issuerUrl: string | null;
  loginUrl: string | null;
  logoutUrl: string | null;
  idpCertificates: string[];
  findings: Finding[];
}

/**
 * Fetches and parses the metadata at `url` and returns the profile fields Import fills. Refusals are
 * the catalogue's METADATA_* errors (unreachable, refused address, not metadata …); nothing is stored.
 */
export async function previewMetadataImport(ctx: SpContext, code: string, url: string): Promise<MetadataPreview> {
  const account = await requireAccount(ctx, code);
  if (url.trim() === '') throw new AppError('METADATA_URL_INVALID', 'Enter the Metadata URL before pressing Import.');
  const now = ctx.clock.now();
  const fetched = await ctx.fetchDocument(url);
  // The URL the admin typed decides tenant-wide vs app metadata; a redirect does not change intent.
  const metadata = parseIdpMetadata(fetched.body.toString('utf8'), { now, sourceUrl: url });
  const filled = applyMetadataToProfile(buildDefaultProfile(account.code, now), metadata, url, now);
  return {
    metadataUrl: url,
    issuerUrl: filled.issuerUrl,
    loginUrl: filled.loginUrl,
    logoutUrl: filled.logoutUrl,
    idpCertificates: filled.idpCertificates,
    findings: metadata.findings,
  };
}

/** One row of the certificate table: the certificate described, or why it is not one. */
export type CertificateRow = { ok: true; info: CertificateInfo; validNow: boolean } | { ok: false; problem: string };

/** Describes each entry of the certificate box for the table beside it; a bad entry becomes a row that says so. */
export function describeCertificateRows(pems: readonly string[], now: Date): CertificateRow[] {
  return pems.map((pem) => {
    try {
      const info = describeCertificate(pem);
      return { ok: true, info, validNow: isCertificateValidAt(info, now) };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : 'not a certificate' };
    }
  });
}
