/**
 * Which retention a trace counts against: only what the account vouched for (its IdP's verified
 * signature, a passed exchange, its own logout) is the account's; whatever anyone can send or
 * provoke, even when it names the account, is anonymous.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CheckResult, type Trace, tracePool } from '../../../src/core/sp/traces.js';

type PoolInput = Pick<Trace, 'accountCode' | 'kind' | 'outcome' | 'checks'>;

function result(id: string, status: CheckResult['status']): CheckResult {
  return { id, title: id, status, message: id, specRef: 'SAML Core' };
}

function input(overrides: Partial<PoolInput>): PoolInput {
  return { accountCode: 'CUK1A2', kind: 'response', outcome: 'failure', checks: [], ...overrides };
}

describe('tracePool', () => {
  const cases: { name: string; trace: PoolInput; pool: 'account' | 'anonymous' }[] = [
    { name: 'no account at all', trace: input({ accountCode: null, outcome: 'success' }), pool: 'anonymous' },
    { name: 'a sign-in that passed', trace: input({ outcome: 'success' }), pool: 'account' },
    {
      name: "a refused Response the account's IdP signed (audience wrong, clock off)",
      trace: input({ checks: [result('signature', 'pass'), result('audience', 'fail')] }),
      pool: 'account',
    },
    {
      name: 'an unsigned Response that only names the account by Issuer and Audience',
      trace: input({ checks: [result('account', 'pass'), result('audience', 'pass'), result('signature', 'fail')] }),
      pool: 'anonymous',
    },
    {
      name: 'a Response whose assertion signature passed but whose covering check failed (wrapped)',
      trace: input({ checks: [result('assertion-signature', 'pass'), result('signature', 'fail')] }),
      pool: 'anonymous',
    },
    {
      name: 'a Response with no profile certificate to verify with',
      trace: input({ checks: [result('signature', 'skip')] }),
      pool: 'anonymous',
    },
    { name: 'a sign-in start (anyone can start one)', trace: input({ kind: 'authn-request', outcome: 'sent' }), pool: 'anonymous' },
    { name: "the SP's LogoutRequest for a signed-in session", trace: input({ kind: 'logout-request', outcome: 'sent' }), pool: 'account' },
    {
      name: 'a received LogoutRequest with a verified Redirect signature',
      trace: input({ kind: 'logout-request', checks: [result('logout-signature', 'pass'), result('logout-principal', 'fail')] }),
      pool: 'account',
    },
    {
      name: 'an unsigned received LogoutRequest naming the account',
      trace: input({ kind: 'logout-request', checks: [result('logout-issuer', 'pass'), result('logout-signature', 'fail')] }),
      pool: 'anonymous',
    },
    {
      name: "the SP's answer to a LogoutRequest (provoked by whoever sent it)",
      trace: input({ kind: 'logout-response', outcome: 'sent' }),
      pool: 'anonymous',
    },
  ];
  for (const { name, trace, pool } of cases) {
    test(`${name}: ${pool}`, () => {
      assert.equal(tracePool(trace), pool);
    });
  }
});
