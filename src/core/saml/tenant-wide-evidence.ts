/**
 * Why a federation metadata document looks like Entra's tenant-wide one rather than an app's: the
 * URL has no `?appid=`, or the content carries several certificates issued to the tenant's key
 * subject (CN=accounts.accesscontrol.windows.net) and none that looks like an app's SAML signing
 * certificate (CN=Microsoft Azure Federated SSO Certificate). Content matters because a pasted or
 * uploaded file has no URL. The subjects are what real tenants publish; that no app certificate
 * ever appears there is inferred from observed documents.
 */
import type { CertificateInfo } from './types.js';

const TENANT_KEY_SUBJECT = 'CN=accounts.accesscontrol.windows.net';
const APP_CERT_SUBJECT = 'CN=Microsoft Azure Federated SSO Certificate';

/** The evidence, one sentence each; empty when the document looks like an app's metadata. */
export function readTenantWideEvidence(certificates: readonly CertificateInfo[], urlIsTenantWide: boolean): string[] {
  const evidence: string[] = [];
  if (urlIsTenantWide) evidence.push('the Metadata URL has no ?appid=');
  const tenantKeys = certificates.filter((c) => c.subject.startsWith(TENANT_KEY_SUBJECT)).length;
  const appCerts = certificates.filter((c) => c.subject.startsWith(APP_CERT_SUBJECT)).length;
  if (tenantKeys >= 2 && appCerts === 0) {
    evidence.push(
      `${tenantKeys} signing certificates are issued to ${TENANT_KEY_SUBJECT} (the tenant's keys) and none to ${APP_CERT_SUBJECT}`,
    );
  }
  return evidence;
}
