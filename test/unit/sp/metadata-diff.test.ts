import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeCertificate } from '../../../src/core/saml/certs.js';
import { diffProfileMetadata, type MetadataSnapshot } from '../../../src/core/sp/metadata-diff.js';
import { idp1, idp2 } from '../../_helpers/test-keys.js';

const TENANT = 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/';
const SAML2 = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2';
const ONE = describeCertificate(idp1.cert).thumbprint;
const TWO = describeCertificate(idp2.cert).thumbprint;

function snapshot(certs: string[], overrides: Partial<MetadataSnapshot> = {}): MetadataSnapshot {
  return { issuerUrl: TENANT, loginUrl: SAML2, logoutUrl: SAML2, idpCertificates: certs, ...overrides };
}

function summarise(before: MetadataSnapshot, after: MetadataSnapshot): [string, string | null][] {
  return diffProfileMetadata(before, after).map((c) => [c.kind, c.thumbprint]);
}

describe('diffProfileMetadata', () => {
  test('the same metadata is no change', () => {
    assert.deepEqual(summarise(snapshot([idp1.cert, idp2.cert]), snapshot([idp1.cert, idp2.cert])), []);
  });

  test('the same certificate in another encoding (bare base64, other line breaks) is no change', () => {
    const bare = describeCertificate(idp1.cert).base64;
    assert.deepEqual(summarise(snapshot([idp1.cert]), snapshot([bare])), []);
  });

  test("Entra's New Certificate (listed after the active one) is certificate-added only", () => {
    assert.deepEqual(summarise(snapshot([idp1.cert]), snapshot([idp1.cert, idp2.cert])), [['certificate-added', TWO]]);
  });

  test('Make certificate active (the new one moves first) is certificate-activated only', () => {
    assert.deepEqual(summarise(snapshot([idp1.cert, idp2.cert]), snapshot([idp2.cert, idp1.cert])), [['certificate-activated', TWO]]);
  });

  test('a rollover seen in one check is added, then activated', () => {
    assert.deepEqual(summarise(snapshot([idp1.cert]), snapshot([idp2.cert, idp1.cert])), [
      ['certificate-added', TWO],
      ['certificate-activated', TWO],
    ]);
  });

  test('deleting the old certificate is certificate-removed', () => {
    assert.deepEqual(summarise(snapshot([idp2.cert, idp1.cert]), snapshot([idp2.cert])), [['certificate-removed', ONE]]);
  });

  test('a full swap lists added, removed and activated, each with its thumbprint', () => {
    const changes = diffProfileMetadata(snapshot([idp1.cert]), snapshot([idp2.cert]));
    assert.deepEqual(
      changes.map((c) => [c.kind, c.thumbprint]),
      [
        ['certificate-added', TWO],
        ['certificate-removed', ONE],
        ['certificate-activated', TWO],
      ],
    );
    for (const change of changes) assert.ok(change.detail.includes(change.thumbprint ?? ''), change.detail);
  });

  test('Issuer URL, Login URL and Logout URL changes are one event each, naming old and new values', () => {
    const after = snapshot([idp1.cert], { issuerUrl: 'https://sts.windows.net/other/', loginUrl: 'https://idp.test/sso', logoutUrl: null });
    const changes = diffProfileMetadata(snapshot([idp1.cert]), after);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.thumbprint]),
      [
        ['issuer-changed', null],
        ['login-url-changed', null],
        ['logout-url-changed', null],
      ],
    );
    assert.ok(changes[0]?.detail.includes('https://sts.windows.net/other/'));
    assert.ok(changes[2]?.detail.includes('(none)'));
  });

  test('a profile that trusted nothing yet sees every certificate added and the first activated', () => {
    assert.deepEqual(
      summarise(snapshot([], { issuerUrl: null, loginUrl: null, logoutUrl: null }), snapshot([idp1.cert])).map(([kind]) => kind),
      ['certificate-added', 'certificate-activated', 'issuer-changed', 'login-url-changed', 'logout-url-changed'],
    );
  });
});
