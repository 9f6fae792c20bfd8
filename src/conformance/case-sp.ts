/**
 * A fresh mock Mimecast SP for one case: memory stores, a frozen clock, the test-only SP keys, one
 * account whose profile trusts the IdP key, and two directory users (the attacker's own address and
 * an administrator to impersonate). Nothing is shared between cases.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { defaults } from '../config/defaults.js';
import { readValidationSettings } from '../config/validation.js';
import { createFrozenClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { createSequentialIds, type IdGenerator } from '../core/ids.js';
import { buildDefaultProfile, TUTORIAL_PROFILE_SWITCHES } from '../core/sp/accounts.js';
import type { SpContext, SpKeys, SpSettings } from '../core/sp/context.js';
import { createNodeSamlGate } from '../core/sp/node-saml-gate.js';
import { createSpApp } from '../http/sp-app.js';
import { createMemoryStores } from '../store/memory/index.js';
import { isLandingPage, postToAcs } from './acs-client.js';
import { CONFORMANCE_ACCOUNT, CONFORMANCE_TENANT_ID, CONFORMANCE_USER, CONFORMANCE_VICTIM } from './case-kit.js';
import type { CasePlan, CaseSp } from './types.js';

/** What one case's SP is built from. */
export interface CaseSpInput {
  publicBaseUrl: string;
  spKeys: SpKeys;
  idpCert: string;
  issuer: string;
  now: Date;
  settings?: CasePlan['settings'];
}

/** One case's SP: the app to serve, its state, and the handle for the case's `before` step. */
export interface BuiltCaseSp {
  app: Express;
  ctx: SpContext;
  stores: ReturnType<typeof createMemoryStores>;
  clock: ReturnType<typeof createFrozenClock>;
  /** The handle a case's `before` step receives. */
  handle: CaseSp;
  close(): Promise<void>;
}

/** Sequential ids whose next SAML ID can be chosen, so a case knows its AuthnRequest ID in advance. */
function createPrimableIds(): IdGenerator & { prime(id: string): void } {
  const sequence = createSequentialIds('sp');
  const primed: string[] = [];
  return { uuid: () => sequence.uuid(), samlId: () => primed.shift() ?? sequence.samlId(), prime: (id) => primed.push(id) };
}

/** Builds and seeds the SP for one case. The caller serves `app` and calls `close()`. */
export async function buildCaseSp(input: CaseSpInput): Promise<BuiltCaseSp> {
  const clock = createFrozenClock(input.now);
  const stores = createMemoryStores({ clock });
  const ids = createPrimableIds();
  const settings: SpSettings = {
    publicBaseUrl: input.publicBaseUrl,
    // The server's own defaults, so a case is judged exactly as the ACS of `mock-mimecast start` would judge it.
    ...readValidationSettings(defaults.saml),
    pendingRequestTtlMs: defaults.saml.pendingRequestTtlSeconds * 1000,
    acceptProductionUrls: defaults.saml.acceptProductionUrls,
    ...input.settings,
  };
  const ctx: SpContext = {
    stores,
    clock,
    ids,
    settings,
    keys: input.spKeys,
    fetchDocument: async () => {
      throw new AppError('METADATA_UNREACHABLE', 'The conformance SP fetches nothing.');
    },
    nodeSamlGate: createNodeSamlGate(),
  };
  const app = createSpApp({
    ctx,
    sessionStore: stores.sessionStore,
    sessionSecret: randomBytes(24).toString('hex'),
    adminToken: null,
    requireAdminToken: false,
  });

  const created = clock.now().toISOString();
  const user = (accountCode: string, email: string, roles: string[]) => ({
    accountCode,
    email,
    globalName: email.split('@')[0] ?? email,
    forceChangeAtLogin: false,
    roles,
    createdAt: created,
  });
  try {
    await stores.accounts.create({ ...CONFORMANCE_ACCOUNT, createdAt: created });
    await stores.profiles.put({
      ...buildDefaultProfile(CONFORMANCE_ACCOUNT.code, input.now),
      ...TUTORIAL_PROFILE_SWITCHES,
      issuerUrl: input.issuer,
      loginUrl: `https://login.microsoftonline.com/${CONFORMANCE_TENANT_ID}/saml2`,
      logoutUrl: `https://login.microsoftonline.com/${CONFORMANCE_TENANT_ID}/saml2`,
      idpCertificates: [input.idpCert],
      // The encrypted cases exercise the strict decrypt path, so this SP accepts encrypted assertions.
      acceptEncryptedAssertions: true,
    });
    await stores.directory.create(user(CONFORMANCE_ACCOUNT.code, CONFORMANCE_USER, []), null);
    await stores.directory.create(user(CONFORMANCE_ACCOUNT.code, CONFORMANCE_VICTIM, ['Super Administrator']), null);
  } catch (error) {
    await stores.close();
    throw error;
  }

  const handle: CaseSp = {
    stores,
    advanceClock: (ms) => clock.advance(ms),
    async startSignIn(requestId, accountCode = CONFORMANCE_ACCOUNT.code) {
      ids.prime(requestId);
      const res = await fetch(`${input.publicBaseUrl}/sso/${encodeURIComponent(accountCode)}`, { redirect: 'manual' });
      await res.text();
      if (res.status !== 200 || !(await stores.pending.get(requestId))) {
        throw new Error(`setup: SP-initiated sign-in did not register request ${requestId} (HTTP ${res.status})`);
      }
    },
    async addAccount(account) {
      await stores.accounts.create({ code: account.code, region: 'eu', name: account.code, domains: account.domains, createdAt: created });
      await stores.profiles.put({
        ...buildDefaultProfile(account.code, input.now),
        ...TUTORIAL_PROFILE_SWITCHES,
        issuerUrl: account.issuer,
        loginUrl: 'https://idp.attacker.example/saml2',
        idpCertificates: [account.cert],
      });
      for (const email of account.users) await stores.directory.create(user(account.code, email, ['Super Administrator']), null);
    },
    async addUser(email, roles = ['Super Administrator']) {
      await stores.directory.create(user(CONFORMANCE_ACCOUNT.code, email, roles), null);
    },
    async signIn(samlResponse) {
      const answer = await postToAcs(`${input.publicBaseUrl}/login/saml`, samlResponse);
      if (answer.status !== 303 || !isLandingPage(answer.location) || !answer.sessionCookie) {
        throw new Error(`setup: the preparatory response did not sign in (HTTP ${answer.status})`);
      }
    },
    async updateProfile(patch) {
      const profile = await stores.profiles.get(CONFORMANCE_ACCOUNT.code);
      if (!profile) throw new Error('setup: the conformance profile is missing');
      await stores.profiles.put({ ...profile, ...patch, accountCode: profile.accountCode });
    },
  };
  return { app, ctx, stores, clock, handle, close: () => stores.close() };
}
