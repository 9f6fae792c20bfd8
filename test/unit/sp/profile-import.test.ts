import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFederationMetadata } from '../../../src/core/idp/federation-metadata.js';
import { parseIdpMetadata } from '../../../src/core/saml/metadata.js';
import { buildDefaultProfile } from '../../../src/core/sp/accounts.js';
import { applyMetadataToProfile } from '../../../src/core/sp/profile-import.js';
import { idp1 } from '../../_helpers/test-keys.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const TENANT = 'c0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b';

describe('applyMetadataToProfile', () => {
  const metadata = parseIdpMetadata(
    buildFederationMetadata({
      tenantId: TENANT,
      idpBaseUrl: 'http://idp.test',
      certificates: [idp1.cert],
      signingKey: idp1.key,
      signingCert: idp1.cert,
      documentId: '_d1',
    }),
    { now: NOW },
  );
  const stale = {
    ...buildDefaultProfile('CUK12A34', NOW),
    metadataUrl: `http://idp.test/${TENANT}/federationmetadata/2007-06/federationmetadata.xml`,
  };

  test('pasted XML (no URL) clears a stale Metadata URL', () => {
    assert.equal(applyMetadataToProfile(stale, metadata, null, NOW).metadataUrl, null);
  });

  test('a fetched document remembers its URL', () => {
    const url = `http://idp.test/${TENANT}/federationmetadata/2007-06/federationmetadata.xml?appid=a`;
    assert.equal(applyMetadataToProfile(stale, metadata, url, NOW).metadataUrl, url);
  });
});
