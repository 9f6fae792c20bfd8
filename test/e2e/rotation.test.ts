import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCertificateOfApp, addCertificateToApp } from '../../src/core/idp/admin.js';
import { buildEntraResponse } from '../../src/core/idp/response-builder.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { importProfileMetadata } from '../../src/core/sp/profile-import.js';
import type { Trace } from '../../src/core/sp/traces.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readKeyPair } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

/** Entra's certificate rollover, end to end: new certificate, re-import, retire the old one. */
describe('signing certificate rotation', () => {
  let h: Harness;
  const creds = { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password };
  const idp1 = readKeyPair('idp-signing-1');
  const idp2 = readKeyPair('idp-signing-2');
  const readThumbprint = (pem: string) => describeCertificate(pem).thumbprint;

  before(async () => {
    h = await startTestHarness();
  });
  after(() => h.close());

  test('new active certificate → untrusted; re-import → signs in; old certificate removed → its assertions refused', async () => {
    const seed = h.walkthrough.idp;
    assert.ok(h.idp && seed);
    const before = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.deepEqual(before?.idpCertificates.map(readThumbprint), [readThumbprint(idp1.cert)]);

    // Entra: SAML Certificates › New Certificate, then "Make certificate active".
    const { certificate } = await addCertificateToApp(h.idp.ctx, seed.tenantId, seed.appId, { pem: idp2.cert, keyPem: idp2.key });
    await activateCertificateOfApp(h.idp.ctx, seed.tenantId, seed.appId, certificate.id);
    const stale = await signInSpInitiated(h, creds);
    assert.equal(stale.ok, false);
    assert.equal(stale.trace?.summary.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');

    // Mimecast: Metadata URL › Import again; the metadata lists both certificates.
    const imported = await importProfileMetadata(h.sp.ctx, SEED.accountCode, { url: seed.appFederationMetadataUrl });
    assert.deepEqual(
      imported.profile.idpCertificates.map(readThumbprint).sort(),
      [readThumbprint(idp1.cert), readThumbprint(idp2.cert)].sort(),
    );
    const fresh = await signInSpInitiated(h, creds);
    assert.equal(fresh.ok, true, `ended at ${fresh.page.url}: ${fresh.trace?.summary.firstFailure}`);

    // Retire the old certificate from the profile through the SP's API.
    const kept = imported.profile.idpCertificates.filter((pem) => readThumbprint(pem) !== readThumbprint(idp1.cert));
    const put = await fetch(`${h.spUrl}/api/accounts/${SEED.accountCode}/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ idpCertificates: kept }),
    });
    assert.equal(put.status, 200);
    await put.arrayBuffer();

    // An assertion an attacker kept signing with the retired key (IdP-initiated, otherwise perfect).
    const urls = buildAccountUrls({ code: SEED.accountCode, region: SEED.region }, h.spUrl);
    const user = await h.idp.ctx.stores.users.findByUpn(seed.tenantId, IDP_SEED.userPrincipalName);
    assert.ok(user);
    const forged = buildEntraResponse({
      tenantId: seed.tenantId,
      destination: urls.localAcsUrl,
      audience: urls.entraIdentifier,
      user,
      issueInstant: new Date(),
      ids: { responseId: h.idp.ctx.ids.samlId(), assertionId: h.idp.ctx.ids.samlId() },
      signing: { key: idp1.key, cert: idp1.cert, option: 'assertion', algorithm: 'sha256' },
    });
    const browser = new TestBrowser();
    const page = await browser.request('POST', urls.localAcsUrl, new URLSearchParams({ SAMLResponse: forged.base64 }));
    assert.equal(page.status, 403);
    const traceId = page.text.match(/\/traces\/([0-9a-f-]{36})/)?.[1];
    assert.ok(traceId);
    const trace = (await (await fetch(`${h.spUrl}/api/traces/${traceId}`, { headers: { accept: 'application/json' } })).json()) as Trace;
    assert.equal(trace.summary.firstFailure, 'SP_SIGNATURE_UNTRUSTED_CERT');
    assert.equal(trace.summary.flow, 'idp-initiated');
  });
});
