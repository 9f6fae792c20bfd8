/**
 * Evidence can't be flushed: anonymous junk of every kind the SP traces (ACS posts, logout requests and
 * responses nobody can be matched to) lives in its own capped pool, so a flood of it never evicts the
 * trace of a real sign-in from the SSO log.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

function post(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields),
  };
}
