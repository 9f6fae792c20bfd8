import { buildAccountUrls } from '../core/sp/accounts.js';
import type { Harness } from '../runtime/harness.js';
import { SEED } from '../runtime/seed.js';
import { IDP_SEED } from '../runtime/seed-idp.js';
import { formatKeptEdits } from '../runtime/seed-reconcile.js';

/** The banner's line on what this start seeded (or found seeded before). */
export function describeSeed(harness: Pick<Harness, 'walkthrough'>): string[] {
  const w = harness.walkthrough;
  const fresh = w.spSeeded ? 'seeded now' : 'kept from an earlier start (seeds only an empty database)';
  if (w.mode === 'none') return ['Seed: none (--no-seed): nothing was created; add tenants and accounts through the consoles or the APIs.'];
  if (w.mode === 'before-tutorial') {
    return [
      `Seed: before-tutorial, ${fresh}: Entra tenant ${IDP_SEED.tenantName} with ${IDP_SEED.userPrincipalName}; Mimecast account ${SEED.accountCode} (${SEED.region}) with the address ${SEED.userEmail}.`,
      "      No Entra enterprise app and no Mimecast authentication profile: those are the tutorial's steps.",
    ];
  }
  return [
    `Seed: ready, ${fresh}: Entra tenant ${IDP_SEED.tenantName} with ${IDP_SEED.userPrincipalName} and the app "Mimecast" (assigned);`,
    `      Mimecast account ${SEED.accountCode} (${SEED.region}) with ${SEED.userEmail} and ${SEED.adminEmail}, the authentication profile imported from the app's metadata.`,
  ];
}

/** What `start` prints once it listens: where each app is, what was seeded, and what to do next. */
export function buildStartGuide(harness: Pick<Harness, 'walkthrough' | 'spUrl' | 'idpUrl' | 'tls'>): string[] {
  const w = harness.walkthrough;
  const sp = harness.spUrl;
  const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, sp);
  const lines = [
    '',
    `mock Mimecast (SP)   ${sp}/            console, accounts and set-up values`,
    `                     ${sp}/traces      SSO log: every SAML exchange with its report`,
  ];
  if (harness.idpUrl) lines.push(`mock Entra ID (IdP)  ${harness.idpUrl}/`);
  if (harness.tls) {
    const { paths, created } = harness.tls;
    lines.push(
      `HTTPS                ${paths.cert} from the local CA ${paths.caCert}${created.ca ? ' (new: trust it first, see mock-mimecast certs --ca)' : ''}`,
    );
  }
  lines.push('', ...describeSeed(harness), '');
  if (w.mode === 'before-tutorial' && !w.idp) {
    lines.push(
      'Rehearse the Entra tutorial step by step:',
      `  in the mock Entra admin center ${harness.idpUrl ?? '(not running)'}/: Enterprise applications › New application › Mimecast, Basic SAML Configuration, assign ${IDP_SEED.userPrincipalName}`,
      `  in the mock Mimecast console ${sp}/: Authentication Profiles › New Authentication Profile, Import the App Federation Metadata Url`,
      `  Identifier (Entity ID): ${urls.entraIdentifier}   Reply URL: ${urls.localAcsUrl}   Sign on URL: ${urls.localSignOnUrl}`,
      `  then sign in as ${IDP_SEED.userPrincipalName}, password ${IDP_SEED.password} (test-only)`,
    );
  } else if (w.idp) {
    lines.push(
      `Rehearse as ${IDP_SEED.userPrincipalName}, password ${IDP_SEED.password} (test-only):`,
      `  SP-initiated:   open ${sp}/login/saml, enter ${SEED.userEmail}, Next`,
      ...describeTestLines(harness.idpUrl ?? '', w.idp),
      `  My Apps:        open ${harness.idpUrl}/myapps and click the Mimecast tile`,
      '',
      `Entra app "Mimecast": Identifier ${urls.entraIdentifier}, Reply URL ${urls.localAcsUrl}, Sign on URL ${urls.localSignOnUrl}`,
      `App Federation Metadata Url (imported into the Mimecast profile): ${w.idp.appFederationMetadataUrl}`,
    );
    for (const f of w.importFindings ?? []) lines.push(`  import ${f.severity}: ${f.code} ${f.message}`);
    const kept = formatKeptEdits(w.keptEdits);
    if (kept.length > 0) lines.push('', ...kept);
  } else if (w.mode === 'none') {
    lines.push(
      'Nothing to sign in to yet:',
      `  mock Mimecast: create an account with POST ${sp}/api/accounts, then open ${sp}/ for its Entra values`,
      harness.idpUrl
        ? `  mock Entra: create a tenant in ${harness.idpUrl}/ (or POST ${harness.idpUrl}/api/tenants), then its Mimecast app and a user`
        : "  your Entra tenant: add the Mimecast gallery app with the account's Identifier and Reply URL",
    );
  } else {
    lines.push(
      `Account ${SEED.accountCode} (${SEED.region}) for ${SEED.domain}. Configure your Entra app with:`,
      `  Identifier (Entity ID): ${urls.entraIdentifier}`,
      `  Reply URL:              ${urls.localAcsUrl}`,
      `  Sign on URL:            ${urls.localSignOnUrl}`,
      `then import its App Federation Metadata Url: POST ${sp}/api/accounts/${SEED.accountCode}/profile/import-metadata {"url": "..."}`,
    );
  }
  return lines;
}

/**
 * The banner's "Test this application" lines: that URL runs as Entra's Test does (SP-initiated through
 * the Sign on URL when the app has one), so an always IdP-initiated URL is printed beside it.
 */
export function describeTestLines(idpUrl: string, idp: { appId: string; testMode: 'sp' | 'idp'; signOnUrl: string | null }): string[] {
  const app = `${idpUrl}/apps/${idp.appId}`;
  if (idp.testMode === 'idp') return [`  IdP-initiated:  open ${app}/test  ("Test this application": no Sign on URL, so IdP-initiated)`];
  return [
    `  Test this app:  open ${app}/test  ("Test this application": SP-initiated, through the Sign on URL ${idp.signOnUrl ?? ''})`,
    `  IdP-initiated:  open ${app}/idp-initiated`,
  ];
}
