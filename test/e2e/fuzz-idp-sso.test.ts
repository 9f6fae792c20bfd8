/**
 * Fuzzes the mock Entra's SSO endpoint: mutated AuthnRequests (string edits of a valid request, then
 * both bindings) and raw query/body values at /<tenant>/saml2. Never a 5xx, and never a change to the
 * tenant's users and apps. Bounded in runs and time; replay a failure with FUZZ_SEED=<seed>.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { encodePostBinding, encodeRedirectBinding } from '../../src/core/saml/bindings.js';
import { NS } from '../../src/core/saml/constants.js';
import { createTestIdp, DEFAULT_ACS_URL, DEFAULT_IDENTIFIER, type TestIdp } from '../_helpers/idp-harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = { numRuns: 150, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false, seed: SEED } as const;

const VALID =
  `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_req-1" Version="2.0" IssueInstant="2027-03-01T10:00:00Z" ` +
  `AssertionConsumerServiceURL="${DEFAULT_ACS_URL}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
  `<saml:Issuer>${DEFAULT_IDENTIFIER}</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
  `<samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>` +
  '</samlp:AuthnRequest>';

const PIECES = [
  '',
  '<!DOCTYPE x [<!ENTITY e "x">]>',
  '&e;',
  '<!---->',
  ']]>',
  '<x/>',
  '\u0000',
  'ID="1"',
  '_',
  '0',
  DEFAULT_IDENTIFIER,
  'https://evil.example/acs',
  'Comparison="minimum"',
  '</samlp:AuthnRequest>',
  '<samlp:LogoutRequest>',
];

const editArb = fc.record({
  at: fc.nat(),
  length: fc.nat({ max: 64 }),
  text: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })),
});

function mutate(xml: string, edits: { at: number; length: number; text: string }[]): string {
  let out = xml;
  for (const e of edits) {
    const start = e.at % (out.length + 1);
    out = out.slice(0, start) + e.text + out.slice(Math.min(out.length, start + e.length));
  }
  return out;
}

describe('fuzzing the mock Entra SSO endpoint', () => {
  let idp: TestIdp;
  let snapshot: string;
  const readState = async () =>
    JSON.stringify([
      await idp.ctx.stores.users.list(idp.tenantId),
      (await idp.ctx.stores.apps.list(idp.tenantId)).map(({ certificates, ...rest }) => ({
        ...rest,
        certificates: certificates.map((c) => c.id),
      })),
    ]);

  before(async () => {
    idp = await createTestIdp();
    snapshot = await readState();
  });
  after(() => idp.close());

  it(`mutated AuthnRequests over both bindings never give a 5xx (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 4 }), fc.boolean(), async (edits, post) => {
        const xml = mutate(VALID, edits);
        const res = post
          ? await request(idp.app)
              .post(`/${idp.tenantId}/saml2`)
              .type('form')
              .send({ SAMLRequest: encodePostBinding(xml), RelayState: '/portal' })
          : await request(idp.app)
              .get(`/${idp.tenantId}/saml2`)
              .query({ SAMLRequest: encodeRedirectBinding(xml) });
        assert.ok(res.status < 500, `status ${res.status} for ${JSON.stringify(xml.slice(0, 200))}`);
      }),
      RUNS,
    );
    assert.equal(await readState(), snapshot);
  });

  it(`raw SAMLRequest and RelayState values never give a 5xx (seed ${SEED})`, async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.base64String({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(
        value,
        value,
        fc.constantFrom('get', 'post'),
        fc.constantFrom('', idp.tenantId, 'contoso.onmicrosoft.com', 'unknown-tenant'),
        async (samlRequest, relay, method, tenant) => {
          const path = `/${encodeURIComponent(tenant || 'x')}/saml2`;
          const res =
            method === 'post'
              ? await request(idp.app).post(path).type('form').send({ SAMLRequest: samlRequest, RelayState: relay })
              : await request(idp.app).get(path).query({ SAMLRequest: samlRequest, RelayState: relay });
          assert.ok(res.status < 500, `status ${res.status}`);
        },
      ),
      RUNS,
    );
    assert.equal(await readState(), snapshot);
  });
});
