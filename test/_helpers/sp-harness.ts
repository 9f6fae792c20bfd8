/**
 * The SP app for HTTP tests: memory stores, a frozen clock, sequential ids, the test-only keys from
 * certs/, publicBaseUrl http://sp.test, and a helper that seeds an account with its profile and
 * directory in one call.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createFrozenClock } from '../../src/core/clock.js';
import { buildEntraIssuer } from '../../src/core/saml/constants.js';
import {
  type Account,
  type AuthProfile,
  buildDefaultProfile,
  type DirectoryUser,
  TUTORIAL_PROFILE_SWITCHES,
} from '../../src/core/sp/accounts.js';
import type { FetchDocument, SpContext, SpSettings } from '../../src/core/sp/context.js';
import type { RegionCode } from '../../src/core/sp/regions.js';
import type { Trace } from '../../src/core/sp/traces.js';
import { createSpApp } from '../../src/http/sp-app.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { TEST_TENANT_ID } from './idp-signer.js';
import { buildTestSpContext } from './sp-core.js';
import { idp1 } from './test-keys.js';

export const TEST_NOW = '2027-03-01T10:00:00.000Z';
export const TEST_BASE_URL = 'http://sp.test';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Profile fields as after importing the mock Entra's App Federation Metadata (trusts idp1). */
export const ENTRA_PROFILE: Partial<AuthProfile> = {
  issuerUrl: buildEntraIssuer(TEST_TENANT_ID),
  loginUrl: `https://login.microsoftonline.com/${TEST_TENANT_ID}/saml2`,
  logoutUrl: `https://login.microsoftonline.com/${TEST_TENANT_ID}/saml2`,
  idpCertificates: [idp1.cert],
};

export interface TestSpOptions {
  settings?: Partial<SpSettings>;
  requireAdminToken?: boolean;
  /** Defaults to TEST_ADMIN_TOKEN when requireAdminToken is set, null otherwise. */
  adminToken?: string | null;
  secureCookies?: boolean;
  /** Metadata fetches; the default refuses, as tests have no network. */
  fetchDocument?: FetchDocument;
  /** The app's logger; silent by default. */
  logger?: Logger;
}

export interface SeedUser {
  email: string;
  globalName?: string;
  roles?: string[];
  password?: string;
  forceChangeAtLogin?: boolean;
}

export interface SeedAccountInput {
  code: string;
  region?: RegionCode;
  name?: string;
  domains: string[];
  /** Merged over Mimecast's default profile. */
  profile?: Partial<AuthProfile>;
  users?: SeedUser[];
}

export interface TestSp {
  app: Express;
  ctx: SpContext;
  stores: ReturnType<typeof createMemoryStores>;
  clock: ReturnType<typeof createFrozenClock>;
  seedAccount(input: SeedAccountInput): Promise<{ account: Account; profile: AuthProfile; users: DirectoryUser[] }>;
  close(): Promise<void>;
}

/** Builds the SP app over fresh memory stores. Call close() in an after hook. */
export function createTestSp(options: TestSpOptions = {}): TestSp {
  const clock = createFrozenClock(TEST_NOW);
  const stores = createMemoryStores({ clock });
  const ctx = buildTestSpContext({
    clock,
    stores,
    baseUrl: TEST_BASE_URL,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.fetchDocument ? { fetchDocument: options.fetchDocument } : {}),
  });
  const requireAdminToken = options.requireAdminToken ?? false;
  const app = createSpApp({
    ctx,
    sessionStore: stores.sessionStore,
    sessionSecret: 'test-session-secret',
    adminToken: options.adminToken !== undefined ? options.adminToken : requireAdminToken ? TEST_ADMIN_TOKEN : null,
    requireAdminToken,
    secureCookies: options.secureCookies ?? false,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  async function seedAccount(input: SeedAccountInput) {
    const now = clock.now();
    const account = await stores.accounts.create({
      code: input.code,
      region: input.region ?? 'eu',
      name: input.name ?? input.code,
      domains: input.domains,
      createdAt: now.toISOString(),
    });
    const profile = await stores.profiles.put({
      ...buildDefaultProfile(account.code, now),
      ...TUTORIAL_PROFILE_SWITCHES,
      ...input.profile,
      accountCode: account.code,
    });
    const users: DirectoryUser[] = [];
    for (const u of input.users ?? []) {
      const user: DirectoryUser = {
        accountCode: account.code,
        email: u.email,
        globalName: u.globalName ?? u.email.split('@')[0] ?? u.email,
        forceChangeAtLogin: u.forceChangeAtLogin ?? false,
        roles: u.roles ?? [],
        createdAt: now.toISOString(),
      };
      users.push(await stores.directory.create(user, u.password ?? null));
    }
    return { account, profile, users };
  }

  return { app, ctx, stores, clock, seedAccount, close: () => stores.close() };
}

/** A stored response trace; tests override what they look at. */
export function buildStoredTrace(overrides: Partial<Trace> & { id: string }): Trace {
  return {
    createdAt: '2027-03-01T09:00:00.000Z',
    kind: 'response',
    binding: 'HTTP-POST',
    accountCode: 'CUK12A34',
    outcome: 'failure',
    raw: 'PHNhbWxwOlJlc3BvbnNlLz4=',
    xml: '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
    relayState: null,
    checks: [
      {
        id: 'audience',
        title: "Audience is the account's Identifier",
        status: 'fail',
        code: 'SP_AUDIENCE_MISMATCH',
        expected: 'a',
        received: 'b',
        message: 'm',
        hint: 'h',
        specRef: 'SAML Core 2.5.1.4',
      },
    ],
    summary: { flow: 'idp-initiated', nameId: 'B.Simon@contoso.com', firstFailure: 'SP_AUDIENCE_MISMATCH' },
    ...overrides,
  };
}
