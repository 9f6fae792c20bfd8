/**
 * Evidence can't be flushed: anonymous junk of every kind the SP traces (ACS posts, logout requests and
 * responses nobody can be matched to, and unsigned messages or sign-in starts that only name an
 * account) lives in its own capped pool, so a flood of it never evicts the trace of a real sign-in
 * from the SSO log.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { SP_LOGOUT_PATH } from '../../src/core/sp/logout.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { signInSpInitiated } from '../../src/testing/sign-in.js';

const ANONYMOUS_CAP = 5;
const FLOOD = 40;

describe('SSO log retention under a flood of anonymous junk', () => {
  test('the sign-in trace survives; the anonymous pool keeps only its newest, up to its cap', async () => {
    const h = await startTestHarness({ traces: { maxAnonymousCount: ANONYMOUS_CAP } });
    try {
      const signedIn = await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password });
      assert.equal(signedIn.ok, true);
      const evidence = signedIn.session?.traceId;
      assert.ok(evidence);

      const junk = [
        // Not a SAML message at all, a Response of no known issuer, and logout messages of nobody.
        (n: number) => fetch(`${h.spUrl}/login/saml`, post({ SAMLResponse: Buffer.from(`junk ${n}`).toString('base64') })),
        (n: number) =>
          fetch(
            `${h.spUrl}/login/saml`,
            post({
              SAMLResponse: Buffer.from(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_j${n}"/>`).toString(
                'base64',
              ),
            }),
          ),
        (n: number) =>
          fetch(`${h.spUrl}${SP_LOGOUT_PATH}?SAMLRequest=${encodeURIComponent(Buffer.from(`junk ${n}`).toString('base64'))}`, {
            redirect: 'manual',
          }),
        (n: number) =>
          fetch(`${h.spUrl}${SP_LOGOUT_PATH}?SAMLResponse=${encodeURIComponent(Buffer.from(`junk ${n}`).toString('base64'))}`, {
            redirect: 'manual',
          }),
      ];
      const kinds = new Set<string>();
      for (let n = 0; n < FLOOD; n++) {
        const response = await (junk[n % junk.length] as (n: number) => Promise<Response>)(n);
        assert.ok(response.status >= 400 && response.status < 500, `junk ${n}: HTTP ${response.status}`);
        await response.arrayBuffer();
      }
      const before = await h.sp.stores.traces.list({ limit: 500 });
      for (const t of before.filter((t) => t.accountCode === null)) kinds.add(t.kind);
      assert.deepEqual([...kinds].sort(), ['logout-request', 'logout-response', 'response']);
      assert.equal(before.filter((t) => t.accountCode === null).length, FLOOD);

      await h.sp.purge();

      const after = await h.sp.stores.traces.list({ limit: 500 });
      assert.ok(
        after.some((t) => t.id === evidence),
        'the sign-in trace is still in the SSO log',
      );
      const anonymous = after.filter((t) => t.accountCode === null);
      assert.equal(anonymous.length, ANONYMOUS_CAP);
      assert.deepEqual(
        anonymous.map((t) => t.id),
        before
          .filter((t) => t.accountCode === null)
          .slice(0, ANONYMOUS_CAP)
          .map((t) => t.id),
        'the newest anonymous traces are kept',
      );
    } finally {
      await h.close();
    }
  });
});

describe('SSO log retention under a flood of unsigned messages that name the account', () => {
  test('the sign-in trace survives; the forgeries stay listed under the account, within the anonymous cap', async () => {
    const cap = 5;
    const h = await startTestHarness({ traces: { maxCount: cap, maxAnonymousCount: cap } });
    try {
      const signedIn = await signInSpInitiated(h, { email: IDP_SEED.userPrincipalName, password: IDP_SEED.password });
      assert.equal(signedIn.ok, true);
      const evidence = signedIn.session?.traceId;
      assert.ok(evidence);
      const accountCode = (await h.sp.stores.traces.get(evidence))?.accountCode;
      assert.ok(accountCode);
      const account = await h.sp.stores.accounts.get(accountCode);
      const profile = await h.sp.stores.profiles.get(accountCode);
      assert.ok(account && profile?.issuerUrl);
      const audience = buildAccountUrls(account, h.spUrl, profile.provider).identifier;
      const acs = `${h.spUrl}/login/saml`;
      const unsignedResponse = (n: number) =>
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_f${n}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${acs}"><saml:Issuer>${profile.issuerUrl}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a${n}" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer>${profile.issuerUrl}</saml:Issuer><saml:Subject><saml:NameID>kate@contoso.com</saml:NameID></saml:Subject><saml:Conditions><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion></samlp:Response>`;
      const unsignedLogout = (n: number) =>
        `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l${n}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${h.spUrl}${SP_LOGOUT_PATH}"><saml:Issuer>${profile.issuerUrl}</saml:Issuer><saml:NameID>kate@contoso.com</saml:NameID></samlp:LogoutRequest>`;
      const flood = [
        (n: number) => fetch(acs, post({ SAMLResponse: Buffer.from(unsignedResponse(n)).toString('base64') })),
        (n: number) =>
          fetch(`${h.spUrl}${SP_LOGOUT_PATH}?SAMLRequest=${encodeURIComponent(encodeRedirectBinding(unsignedLogout(n)))}`, {
            redirect: 'manual',
          }),
        () => fetch(`${h.spUrl}/sso/${accountCode}`, { redirect: 'manual' }),
      ];
      for (let n = 0; n < 30; n++) {
        const response = await (flood[n % flood.length] as (n: number) => Promise<Response>)(n);
        assert.ok(response.status < 500, `message ${n}: HTTP ${response.status}`);
        await response.arrayBuffer();
      }
      const named = (await h.sp.stores.traces.list({ accountCode, limit: 500 })).filter((t) => t.id !== evidence);
      const kinds = new Set(named.map((t) => t.kind));
      assert.ok(kinds.has('response') && kinds.has('logout-request') && kinds.has('authn-request'), [...kinds].join());
      assert.ok(named.length > cap, 'the flood names the account more often than its cap');

      await h.sp.purge();

      const after = await h.sp.stores.traces.list({ accountCode, limit: 500 });
      assert.ok(
        after.some((t) => t.id === evidence),
        'the sign-in trace is still in the SSO log',
      );
      const forged = after.filter((t) => t.id !== evidence);
      assert.equal(forged.length, cap, 'the forgeries are kept in the anonymous pool, up to its cap, still under the account');
    } finally {
      await h.close();
    }
  });
});

function post(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields),
  };
}
