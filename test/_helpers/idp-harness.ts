/**
 * A seeded mock Entra for tests: tenant contoso, user B.Simon (password below), the Mimecast app
 * with the given Identifier and Reply URL, B.Simon assigned. All state lives in an in-memory SQLite
 * database that close() discards.
 */
import type express from 'express';
import type request from 'supertest';
import { createFrozenClock } from '../../src/core/clock.js';
import { assignUserToApp, createMimecastApp, createTenant, createUser } from '../../src/core/idp/admin.js';
import type { IdpContext } from '../../src/core/idp/idp-context.js';
import { randomIds } from '../../src/core/ids.js';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { createIdpApp } from '../../src/http/idp/idp-app.js';
import { createSqliteIdpStores } from '../../src/store/idp/index.js';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { SqliteSessionStore } from '../../src/store/sqlite/session.store.js';
import { idp1 } from './test-keys.js';

export const IDP_TENANT_ID = 'c0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b';
export const IDP_BASE_URL = 'http://idp.test';
export const B_SIMON = { userPrincipalName: 'B.Simon@contoso.com', password: 'Test-only-Passw0rd!' } as const;
export const DEFAULT_IDENTIFIER = 'https://eu-api.mimecast.com/sso/CUK12A34';
export const DEFAULT_ACS_URL = 'http://sp.test/login/saml';

export interface TestIdpContext {
  ctx: IdpContext;
  clock: ReturnType<typeof createFrozenClock>;
  db: ReturnType<typeof openDatabase>;
  close(): Promise<void>;
}

/** An IdP core context on a fresh in-memory database, nothing seeded. */
export function createTestIdpContext(): TestIdpContext {
  const db = openDatabase(':memory:');
  const clock = createFrozenClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const ctx: IdpContext = {
    stores: createSqliteIdpStores(db),
    clock,
    ids: randomIds,
    keys: { seedAppCertificate: idp1 },
    settings: { idpBaseUrl: IDP_BASE_URL, maxSamlBytes: 64 * 1024 },
  };
  return {
    ctx,
    clock,
    db,
    async close() {
      if (db.open) db.close();
    },
  };
}

/** Seeds contoso, B.Simon and the Mimecast app (B.Simon assigned); returns the ids. */
export async function seedContoso(
  ctx: IdpContext,
  options: { spAcsUrl?: string; identifier?: string } = {},
): Promise<{ tenantId: string; appId: string; objectId: string }> {
  const tenant = await createTenant(ctx, { name: 'contoso.onmicrosoft.com', tenantId: IDP_TENANT_ID, verifiedDomains: ['contoso.com'] });
  const user = await createUser(ctx, tenant.tenantId, {
    ...B_SIMON,
    mail: B_SIMON.userPrincipalName,
    displayName: 'B. Simon',
    givenName: 'B.',
    surname: 'Simon',
  });
  const app = await createMimecastApp(
    ctx,
    tenant.tenantId,
    { identifiers: [options.identifier ?? DEFAULT_IDENTIFIER], replyUrls: [options.spAcsUrl ?? DEFAULT_ACS_URL] },
    { pem: ctx.keys.seedAppCertificate.cert, keyPem: ctx.keys.seedAppCertificate.key },
  );
  await assignUserToApp(ctx, tenant.tenantId, app.appId, user.userPrincipalName);
  return { tenantId: tenant.tenantId, appId: app.appId, objectId: user.objectId };
}

export interface TestIdp extends TestIdpContext {
  app: express.Express;
  tenantId: string;
  appId: string;
  objectId: string;
  user: { userPrincipalName: string; password: string };
}

/** The seeded IdP app, ready for supertest; `adminToken` guards its API and admin center. */
export async function createTestIdp(
  options: { spAcsUrl?: string; identifier?: string; adminToken?: string; secureCookies?: boolean } = {},
): Promise<TestIdp> {
  const base = createTestIdpContext();
  const seeded = await seedContoso(base.ctx, options);
  const sessionStore = new SqliteSessionStore(base.db, { clock: base.clock });
  const app = createIdpApp({
    ctx: base.ctx,
    sessionStore,
    sessionSecret: 'test-only-idp-session-secret',
    adminToken: options.adminToken ?? null,
    secureCookies: options.secureCookies ?? false,
  });
  return { ...base, ...seeded, app, user: { ...B_SIMON } };
}

/** The "Stay signed in?" page that follows a correct password. */
export const KMSI_FORM = /<form method="POST" action="\/kmsi" id="kmsi-form"/;

/** "Approve sign in request", shown to a multi-factor user after the password. */
export const MFA_FORM = /<form method="POST" action="\/login\/mfa" id="mfa-form"/;

/** The sign-in transaction id a mock Entra page carries. */
export function readTransactionId(html: string): string {
  return /name="tx" value="([^"]*)"/.exec(html)?.[1] ?? '';
}

/** A minimal AuthnRequest from DEFAULT_IDENTIFIER with DEFAULT_ACS_URL, Redirect-binding encoded. */
export function encodeTestAuthnRequest(id: string, forceAuthn = false): string {
  return encodeRedirectBinding(
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" AssertionConsumerServiceURL="${DEFAULT_ACS_URL}"${forceAuthn ? ' ForceAuthn="true"' : ''}>` +
      `<saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer></samlp:AuthnRequest>`,
  );
}

/**
 * Sends an SP-initiated AuthnRequest (Redirect binding, DEFAULT_IDENTIFIER to DEFAULT_ACS_URL) and
 * answers "Sign in" and "Enter password" (B.Simon unless told otherwise); returns the transaction id
 * and the page that follows the password.
 */
export async function startPasswordSignIn(
  agent: ReturnType<typeof request.agent>,
  idp: TestIdp,
  options: { id: string; forceAuthn?: boolean; upn?: string; password?: string },
) {
  const upn = options.upn ?? idp.user.userPrincipalName;
  const start = await agent.get(`/${idp.tenantId}/saml2`).query({ SAMLRequest: encodeTestAuthnRequest(options.id, options.forceAuthn) });
  const tx = readTransactionId(start.text);
  await agent.post('/login').type('form').send({ tx, loginfmt: upn });
  return {
    tx,
    page: await agent
      .post('/login/password')
      .type('form')
      .send({ tx, loginfmt: upn, passwd: options.password ?? idp.user.password }),
  };
}

interface PostingAgent {
  post(url: string): {
    type(t: string): { send(body: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, unknown> }> };
  };
}

/**
 * Answers "Stay signed in?" when `page` is that page (No unless told otherwise) and returns the page
 * after it; any other page is returned as it is.
 */
export async function answerStaySignedIn<T extends { text: string }>(
  agent: PostingAgent,
  page: T,
  options: { yes?: boolean; dontShowAgain?: boolean } = {},
): Promise<T> {
  if (!KMSI_FORM.test(page.text)) return page;
  const tx = readTransactionId(page.text);
  const body: Record<string, string> = { tx, LoginOptions: options.yes ? '1' : '3' };
  if (options.dontShowAgain) body.DontShowAgain = 'true';
  return (await agent.post('/kmsi').type('form').send(body)) as unknown as T;
}

/** Approves "Approve sign in request" when `page` is that page (a multi-factor user); other pages pass through. */
export async function answerSecondFactor<T extends { text: string }>(
  agent: PostingAgent,
  page: T,
  action: 'approve' | 'deny' = 'approve',
): Promise<T> {
  if (!MFA_FORM.test(page.text)) return page;
  const tx = readTransactionId(page.text);
  return (await agent.post('/login/mfa').type('form').send({ tx, action })) as unknown as T;
}
