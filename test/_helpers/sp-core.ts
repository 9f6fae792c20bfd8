/**
 * An SP core context for unit tests: memory stores, frozen clock, sequential ids, the test keys, and
 * one seeded account (CUK12A34, region eu, contoso.com) whose profile trusts idp1 — as after importing
 * Entra's App Federation Metadata.
 */

import type { Clock } from '../../src/core/clock.js';
import { createFrozenClock } from '../../src/core/clock.js';
import { AppError } from '../../src/core/errors.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { buildEntraIssuer } from '../../src/core/saml/constants.js';
import { type AuthProfile, buildAccountUrls, buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../../src/core/sp/accounts.js';
import type { FetchDocument, SpContext, SpSettings } from '../../src/core/sp/context.js';
import { createNodeSamlGate } from '../../src/core/sp/node-saml-gate.js';
import type { SpStores } from '../../src/core/sp/ports.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { buildSignedTestResponse, TEST_TENANT_ID, type TestResponseOverrides } from './idp-signer.js';
import { idp1, spEncryption, spSigning } from './test-keys.js';

export const NOW = new Date('2027-03-01T10:00:00.000Z');
export const ACCOUNT = { code: 'CUK12A34', region: 'eu' as const, name: 'Contoso', domains: ['contoso.com'], createdAt: NOW.toISOString() };
export const PUBLIC_BASE_URL = 'http://sp.test';
export const URLS = buildAccountUrls(ACCOUNT, PUBLIC_BASE_URL);
export const USER_EMAIL = 'B.Simon@contoso.com';
export const ISSUER = buildEntraIssuer(TEST_TENANT_ID);

export interface TestSpCore {
  ctx: SpContext;
  clock: ReturnType<typeof createFrozenClock>;
  stores: ReturnType<typeof createMemoryStores>;
  /** A default Entra response for B.Simon to this SP, with overrides. */
  respond(overrides?: Partial<TestResponseOverrides>): string;
  close(): Promise<void>;
}

/**
 * The SpContext every SP test uses: the given stores and clock, sequential ids, the test keys, the
 * defaults of src/config/defaults.ts for SAML settings, and no network unless a fetcher is given.
 */
export function buildTestSpContext(input: {
  clock: Clock;
  stores: SpStores;
  baseUrl: string;
  settings?: Partial<SpSettings>;
  fetchDocument?: FetchDocument;
}): SpContext {
  return {
    stores: input.stores,
    clock: input.clock,
    ids: createSequentialIds('t'),
    settings: {
      publicBaseUrl: input.baseUrl,
      clockSkewMs: 180_000,
      pendingRequestTtlMs: 600_000,
      maxSamlBytes: 256 * 1024,
      refuseSha1: false,
      acceptProductionUrls: true,
      ...input.settings,
    },
    keys: { signingKey: spSigning.key, signingCert: spSigning.cert, encryptionKey: spEncryption.key, encryptionCert: spEncryption.cert },
    fetchDocument:
      input.fetchDocument ??
      (async () => {
        throw new AppError('METADATA_UNREACHABLE', 'Tests have no network.');
      }),
    nodeSamlGate: createNodeSamlGate(),
  };
}

export async function createTestSpCore(
  options: { settings?: Partial<SpSettings>; profile?: Partial<AuthProfile> } = {},
): Promise<TestSpCore> {
  const clock = createFrozenClock(NOW);
  const stores = createMemoryStores({ clock });
  const ctx = buildTestSpContext({ clock, stores, settings: options.settings ?? {}, baseUrl: PUBLIC_BASE_URL });
  await stores.accounts.create(ACCOUNT);
  await stores.profiles.put({
    ...buildDefaultProfile(ACCOUNT.code, NOW),
    ...TUTORIAL_PROFILE_SWITCHES,
    issuerUrl: ISSUER,
    loginUrl: `https://login.microsoftonline.com/${TEST_TENANT_ID}/saml2`,
    logoutUrl: `https://login.microsoftonline.com/${TEST_TENANT_ID}/saml2`,
    idpCertificates: [idp1.cert],
    ...options.profile,
  });
  await stores.directory.create(
    {
      accountCode: ACCOUNT.code,
      email: USER_EMAIL,
      globalName: 'B. Simon',
      forceChangeAtLogin: false,
      roles: [],
      createdAt: NOW.toISOString(),
    },
    null,
  );
  return {
    ctx,
    clock,
    stores,
    respond: (overrides = {}) =>
      buildSignedTestResponse({
        now: clock.now(),
        acsUrl: URLS.localAcsUrl,
        audience: URLS.entraIdentifier,
        email: USER_EMAIL,
        ...overrides,
      }).base64,
    close: () => stores.close(),
  };
}
