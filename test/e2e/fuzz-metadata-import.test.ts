/**
 * Fuzzes "Metadata URL › Import" through the JSON API with mutated Entra federation metadata and raw
 * bodies: never a 5xx, and a refused import never changes the profile (or anything else). Bounded in
 * runs and in time; replay a failure with FUZZ_SEED=<seed printed in the diagnostics>.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fc from 'fast-check';
import request from 'supertest';
import { buildFederationMetadata } from '../../src/core/idp/federation-metadata.js';
import { createSpApp } from '../../src/http/sp-app.js';
import { TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, type TestSp } from '../_helpers/sp-harness.js';
import { idp1, idp2 } from '../_helpers/test-keys.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = { numRuns: 150, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false, seed: SEED } as const;
const IMPORT_URL = '/api/accounts/CUK12A34/profile/import-metadata';
const METADATA = buildFederationMetadata({
  tenantId: TEST_TENANT_ID,
  idpBaseUrl: 'http://localhost:3001',
  certificates: [idp1.cert, idp2.cert],
  signingKey: idp1.key,
  signingCert: idp1.cert,
  documentId: '_00000000-0000-4000-8000-0000000000cc',
});

const QUIET = { warning: () => undefined, error: () => undefined, fatalError: () => undefined };
const KINDS = [
  'drop-element',
  'duplicate-element',
  'drop-attribute',
  'set-attribute',
  'set-text',
  'insert-string',
  'delete-slice',
] as const;
type Mutation = { kind: (typeof KINDS)[number]; a: number; b: number; text: string };
const TEXTS = [
  '',
  ' ',
  'javascript:alert(1)',
  'https://evil.example/saml2',
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  'MIIB',
  '<!DOCTYPE x>',
  ']]>',
  '&amp;',
  '\u0000',
  'x'.repeat(300),
];

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  text: fc.oneof(fc.constantFrom(...TEXTS), fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 60 })),
});

/** Applies one mutation; DOM edits through xmldom, string edits on the text. */
function applyMutation(xml: string, m: Mutation): string {
  const at = m.a % (xml.length + 1);
  if (m.kind === 'insert-string') return `${xml.slice(0, at)}${m.text}${xml.slice(at)}`;
  if (m.kind === 'delete-slice') return xml.slice(0, at) + xml.slice(Math.min(xml.length, at + (m.b % 64) + 1));
  const doc = new DOMParser({ errorHandler: QUIET }).parseFromString(xml, 'text/xml') as Document | undefined;
  if (!doc) return xml;
  const elements = Array.from(doc.getElementsByTagName('*'));
  const el = elements[m.a % Math.max(1, elements.length)];
  if (!el) return xml;
  const attr = Array.from(el.attributes)[m.b % Math.max(1, el.attributes.length)];
  if (m.kind === 'drop-element') el.parentNode?.removeChild(el);
  if (m.kind === 'duplicate-element') {
    if (el === doc.documentElement) return `${xml}${new XMLSerializer().serializeToString(el)}`;
    el.parentNode?.insertBefore(el.cloneNode(true), el.nextSibling);
  }
  if (m.kind === 'drop-attribute' && attr) el.removeAttributeNode(attr);
  if (m.kind === 'set-attribute') el.setAttribute(attr?.name ?? 'Location', m.text);
  if (m.kind === 'set-text') {
    const text = Array.from(el.childNodes).find((n) => n.nodeType === 3);
    if (text) text.nodeValue = m.text;
    else el.appendChild(doc.createTextNode(m.text));
  }
  return new XMLSerializer().serializeToString(doc);
}

let sp: TestSp;
let app: ReturnType<typeof createSpApp>;

async function readProfile(): Promise<string> {
  return JSON.stringify(await sp.stores.profiles.get('CUK12A34'));
}

async function readOthers(): Promise<string> {
  return JSON.stringify({ accounts: await sp.stores.accounts.list(), users: await sp.stores.directory.list('CUK12A34') });
}

before(async () => {
  sp = createTestSp();
  await sp.seedAccount({ code: 'CUK12A34', domains: ['contoso.com'], profile: ENTRA_PROFILE, users: [{ email: 'alex@contoso.com' }] });
  app = createSpApp({
    ctx: sp.ctx,
    sessionStore: sp.stores.sessionStore,
    sessionSecret: 's',
    adminToken: null,
    requireAdminToken: false,
    rateLimits: { windowSeconds: 60, signIn: 0, acs: 0, metadataImport: 0 },
  });
});
after(() => sp.close());

/** Posts a body; refusals must leave the profile as it was, and nothing else may ever change. */
async function importAndCheck(body: string, contentType = 'application/json'): Promise<number> {
  const profileBefore = await readProfile();
  const others = await readOthers();
  const res = await request(app).post(IMPORT_URL).set('Content-Type', contentType).send(body);
  assert.ok(res.status < 500, `status ${res.status}: ${res.text.slice(0, 200)}`);
  if (res.status !== 200) assert.equal(await readProfile(), profileBefore, 'a refused import leaves the profile alone');
  else assert.equal(typeof res.body.profile, 'object');
  assert.equal(await readOthers(), others);
  return res.status;
}

describe('metadata import fuzzing', () => {
  it('the unmutated metadata imports, so the harness can tell success from refusal', async () => {
    assert.equal(await importAndCheck(JSON.stringify({ xml: METADATA })), 200);
  });

  it('mutated metadata XML: never a 5xx, profile unchanged on refusal', { timeout: 120_000 }, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (mutations) => {
        let xml = METADATA;
        for (const m of mutations) xml = applyMutation(xml, m);
        const status = await importAndCheck(JSON.stringify({ xml }));
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      }),
      RUNS,
    );
    t.diagnostic(`statuses ${JSON.stringify(Object.fromEntries(outcomes))}`);
  });

  it('raw bodies: never a 5xx, profile unchanged on refusal', { timeout: 120_000 }, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const value = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constant(METADATA.slice(0, 500)),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
    );
    // `url` values never reach the network: the test SP's fetcher refuses every URL.
    const body = fc.oneof(
      fc.record({ xml: value, url: value, extra: value }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/xml',
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (raw, type) => {
        await importAndCheck(raw, type);
      }),
      RUNS,
    );
  });
});
