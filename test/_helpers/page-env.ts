/**
 * What the page checks need beyond the seeded harness: the seeded Mimecast administrator in Entra,
 * a multi-factor user, a trace of a sign-in that succeeded and one of a response that was refused;
 * and the values that fill the routes' placeholders.
 */
import assert from 'node:assert/strict';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';
import type { PageValues } from './page-routes.js';

export interface Person {
  upn: string;
  password: string;
}

/** The seeded user, the seeded Mimecast administrator (added to Entra here) and a multi-factor user; test-only passwords. */
export const PEOPLE = {
  user: { upn: IDP_SEED.userPrincipalName, password: IDP_SEED.password },
  admin: { upn: SEED.adminEmail, password: 'Rehearsal-only-Admin1!' },
  mfa: { upn: 'Adele.Vance@contoso.com', password: 'Rehearsal-only-Pw2!' },
  /** Created with a temporary password: the sign-in stops on "Update your password". */
  temporary: { upn: 'Alex.Wilber@contoso.com', password: 'Rehearsal-only-Tmp3!' },
} as const;

export interface PageEnv {
  spUrl: string;
  idpUrl: string;
  values: PageValues;
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, `POST ${url}: ${res.status} ${await res.text()}`);
}

/** The seeded harness plus what the pages need; returns the URLs and the placeholders' values. */
export async function preparePageEnv(h: Harness): Promise<PageEnv> {
  const seed = h.walkthrough.idp;
  assert.ok(seed && h.idpUrl, 'the mock Entra runs, seeded');
  const tenantApi = `${h.idpUrl}/api/tenants/${seed.tenantId}`;
  await postJson(`${tenantApi}/users`, {
    userPrincipalName: PEOPLE.admin.upn,
    displayName: 'Contoso Administrator',
    password: PEOPLE.admin.password,
  });
  await postJson(`${tenantApi}/users`, {
    userPrincipalName: PEOPLE.mfa.upn,
    displayName: 'Adele Vance',
    password: PEOPLE.mfa.password,
    authMethod: 'multi-factor',
  });
  await postJson(`${tenantApi}/users`, {
    userPrincipalName: PEOPLE.temporary.upn,
    displayName: 'Alex Wilber',
    password: PEOPLE.temporary.password,
    passwordIsTemporary: true,
  });
  for (const person of [PEOPLE.admin, PEOPLE.mfa, PEOPLE.temporary])
    await postJson(`${tenantApi}/apps/${seed.appId}/assignments`, { userPrincipalName: person.upn });

  const signedIn = await signInSpInitiated(h, { email: PEOPLE.user.upn, password: PEOPLE.user.password });
  assert.ok(signedIn.ok && signedIn.trace, 'the seeded sign-in succeeds');
  const refused = await fetch(`${h.spUrl}/login/saml`, {
    method: 'POST',
    body: new URLSearchParams({ SAMLResponse: btoa('<not-saml/>') }),
  });
  const failedTraceId = /\/traces\/([^"/]+)"/.exec(await refused.text())?.[1];
  assert.ok(failedTraceId, 'the refused response left a trace');
  return {
    spUrl: h.spUrl,
    idpUrl: h.idpUrl,
    values: {
      tenantId: seed.tenantId,
      appId: seed.appId,
      template: 'mimecast',
      code: SEED.accountCode,
      accountcode: SEED.accountCode,
      domain: SEED.domain,
      email: SEED.userEmail,
      id: signedIn.trace.id,
      failedTraceId,
      missingId: '00000000-0000-4000-8000-000000000000',
    },
  };
}
