import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { type AuthProfile, buildDefaultProfile } from '../../../src/core/sp/accounts.js';
import type { SqliteStores } from '../../../src/store/index.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';

const NOW = new Date('2025-03-01T09:00:00.000Z');
const ENTRA_ISSUER = 'https://sts.windows.net/11111111-2222-3333-4444-555555555555/';

function buildProfile(accountCode: string, overrides: Partial<AuthProfile> = {}): AuthProfile {
  return { ...buildDefaultProfile(accountCode, NOW), ...overrides };
}

describe('SqliteProfileStore', () => {
  let stores: SqliteStores;
  beforeEach(async () => {
    stores = createMemoryStores();
    for (const code of ['CUK1A2', 'CUSA99', 'CDE777']) {
      await stores.accounts.create({ code, region: 'eu', name: code, domains: [], createdAt: NOW.toISOString() });
    }
  });
  afterEach(async () => {
    await stores.close();
  });

  test('get returns null before a profile is put', async () => {
    assert.equal(await stores.profiles.get('CUK1A2'), null);
  });

  test('put creates and get returns the same profile', async () => {
    const profile = buildProfile('CUK1A2', {
      issuerUrl: ENTRA_ISSUER,
      loginUrl: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/saml2',
      idpCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
      usePasswordProtectedContext: true,
    });
    assert.deepEqual(await stores.profiles.put(profile), profile);
    assert.deepEqual(await stores.profiles.get('CUK1A2'), profile);
  });

  test('put replaces an existing profile', async () => {
    await stores.profiles.put(buildProfile('CUK1A2'));
    const replaced = buildProfile('CUK1A2', { description: 'Replaced', allowSingleSignOn: false, updatedAt: '2025-03-02T00:00:00.000Z' });
    await stores.profiles.put(replaced);
    assert.deepEqual(await stores.profiles.get('CUK1A2'), replaced);
  });

  test('put for an unknown account throws ACCOUNT_NOT_FOUND', async () => {
    await assert.rejects(
      stores.profiles.put(buildProfile('CUKNONE1')),
      (err) => err instanceof AppError && err.code === 'ACCOUNT_NOT_FOUND',
    );
  });

  test('findByIssuer returns every profile with exactly that Issuer URL', async () => {
    await stores.profiles.put(buildProfile('CUSA99', { issuerUrl: ENTRA_ISSUER }));
    await stores.profiles.put(buildProfile('CUK1A2', { issuerUrl: ENTRA_ISSUER }));
    await stores.profiles.put(buildProfile('CDE777', { issuerUrl: 'https://sts.windows.net/other/' }));
    const found = await stores.profiles.findByIssuer(ENTRA_ISSUER);
    assert.deepEqual(
      found.map((p) => p.accountCode),
      ['CUK1A2', 'CUSA99'],
    );
  });

  test('findByIssuer matches exactly, not by prefix or case', async () => {
    await stores.profiles.put(buildProfile('CUK1A2', { issuerUrl: ENTRA_ISSUER }));
    assert.deepEqual(await stores.profiles.findByIssuer(ENTRA_ISSUER.slice(0, -1)), []);
    assert.deepEqual(await stores.profiles.findByIssuer(ENTRA_ISSUER.toUpperCase()), []);
  });

  test('findByIssuer ignores profiles without an Issuer URL', async () => {
    await stores.profiles.put(buildProfile('CUK1A2'));
    assert.deepEqual(await stores.profiles.findByIssuer(''), []);
  });
});
