import type { IdpUser } from '../../src/core/idp/directory.js';

/** The contoso tenant id the mock Entra store tests write users into. */
export const STORE_TEST_TENANT = 'c0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b';
export const STORE_TEST_CREATED = '2026-01-02T03:04:05.000Z';

/** A password user `<local>@contoso.com` (object id `oid-<local>`) of STORE_TEST_TENANT, as a store holds it. */
export function buildStoreUser(local: string, extra: Partial<IdpUser> = {}): IdpUser {
  return {
    tenantId: STORE_TEST_TENANT,
    userPrincipalName: `${local}@contoso.com`,
    objectId: `oid-${local}`,
    displayName: local,
    mail: null,
    authMethod: 'password',
    createdAt: STORE_TEST_CREATED,
    ...extra,
  };
}
