/**
 * Fuzzes the ACS through HTTP: mutated signed Entra responses (DOM edits, string edits, base64 byte
 * flips) and raw bodies. Never a 5xx, never a change to accounts, profiles or the directory, and a
 * sign-in only when what it read back is exactly what the IdP signed. Bounded in runs and in time;
 * replay a failure with FUZZ_SEED=<seed printed in the diagnostics>.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fc from 'fast-check';
import request from 'supertest';
import { NS } from '../../src/core/saml/constants.js';
import { buildAccountUrls } from '../../src/core/sp/accounts.js';
import { createSpApp } from '../../src/http/sp-app.js';
import { buildSignedTestResponse, TEST_TENANT_ID } from '../_helpers/idp-signer.js';
import { createTestSp, ENTRA_PROFILE, TEST_BASE_URL, type TestSp } from '../_helpers/sp-harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = { numRuns: 150, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false, seed: SEED } as const;
const URLS = buildAccountUrls({ code: 'CUK12A34', region: 'eu' }, TEST_BASE_URL);
const EMAIL = 'alex@contoso.com';
const ISSUER = `https://sts.windows.net/${TEST_TENANT_ID}/`;

// --- Mutations --------------------------------------------------------------------------------------

const KINDS = [
  'drop-element',
  'duplicate-element',
  'move-element',
  'rename-element',
  'drop-attribute',
  'rename-attribute',
  'set-attribute',
  'set-text',
  'insert-string',
  'delete-slice',
  'duplicate-slice',
] as const;
type Mutation = { kind: (typeof KINDS)[number]; a: number; b: number; text: string };

const ELEMENT_NAMES = [
  'saml:Assertion',
  'samlp:Response',
  'ds:Signature',
  'saml:NameID',
  'saml:Issuer',
  'saml:Audience',
  'saml:SubjectConfirmation',
  'x',
];
const ATTRIBUTE_NAMES = [
  'ID',
  'Id',
  'id',
  'Destination',
  'Recipient',
  'InResponseTo',
  'NotOnOrAfter',
  'NotBefore',
  'URI',
  'Method',
  'Algorithm',
  'Value',
  'x',
];
const TEXTS = [
  '',
  ' ',
  EMAIL,
  'admin@contoso.com',
  'B.Simon@contoso.com',
  ISSUER,
  'https://evil.example/',
  URLS.entraIdentifier,
  URLS.localAcsUrl,
  '<!---->',
  ']]>',
  '&amp;',
  '<x/>',
  '\u0000',
  'urn:oasis:names:tc:SAML:2.0:status:Success',
  'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  '2999-01-01T00:00:00Z',
];

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  text: fc.oneof(
    fc.constantFrom(...TEXTS, ...ELEMENT_NAMES, ...ATTRIBUTE_NAMES),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  ),
});

const QUIET = { warning: () => undefined, error: () => undefined, fatalError: () => undefined };

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** True when `node` is `ancestor` or below it (xmldom 0.8 has no Node.contains). */
function isInside(node: Node, ancestor: Node): boolean {
  for (let n: Node | null = node; n !== null; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/** Applies one mutation to a serialized document; DOM edits go through xmldom, string edits do not. */
function applyMutation(xml: string, m: Mutation): string {
  if (m.kind === 'insert-string') return `${xml.slice(0, m.a % (xml.length + 1))}${m.text}${xml.slice(m.a % (xml.length + 1))}`;
  if (m.kind === 'delete-slice' || m.kind === 'duplicate-slice') {
    const start = m.a % (xml.length + 1);
    const end = Math.min(xml.length, start + (m.b % 64) + 1);
    return m.kind === 'delete-slice' ? xml.slice(0, start) + xml.slice(end) : xml.slice(0, end) + xml.slice(start, end) + xml.slice(end);
  }
  // xmldom 0.8 returns no document at all for some broken input; the mutation then changes nothing.
  const doc = new DOMParser({ errorHandler: QUIET }).parseFromString(xml, 'text/xml') as Document | undefined;
  if (!doc) return xml;
  const elements = Array.from(doc.getElementsByTagName('*'));
  const el = pick(elements, m.a);
  if (!el) return xml;
  const attributes = Array.from(el.attributes);
  const attr = pick(attributes, m.b);
  switch (m.kind) {
    case 'drop-element':
      el.parentNode?.removeChild(el);
      break;
    case 'duplicate-element':
      // A document has one root, so a second one can only be written as text: two roots side by side.
      if (el === doc.documentElement) return `${xml}${new XMLSerializer().serializeToString(el)}`;
      el.parentNode?.insertBefore(el.cloneNode(true), el.nextSibling);
      break;
    case 'move-element': {
      const target = pick(elements, m.b);
      if (target && !isInside(target, el)) target.appendChild(el);
      break;
    }
    case 'rename-element': {
      const renamed = doc.createElementNS(el.namespaceURI ?? NS.saml, pick(ELEMENT_NAMES, m.b) ?? 'x');
      for (const a of attributes) renamed.setAttributeNS(a.namespaceURI, a.name, a.value);
      while (el.firstChild) renamed.appendChild(el.firstChild);
      el.parentNode?.replaceChild(renamed, el);
      break;
    }
    case 'drop-attribute':
      if (attr) el.removeAttributeNode(attr);
      break;
    case 'rename-attribute':
      if (attr) {
        el.removeAttributeNode(attr);
        el.setAttribute(pick(ATTRIBUTE_NAMES, m.a) ?? 'x', attr.value);
      }
      break;
    case 'set-attribute':
      el.setAttribute(attr?.name ?? pick(ATTRIBUTE_NAMES, m.b) ?? 'x', m.text);
      break;
    case 'set-text': {
      const text = Array.from(el.childNodes).find((n) => n.nodeType === 3);
      if (text) text.nodeValue = m.text;
      else el.appendChild(doc.createTextNode(m.text));
      break;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Replaces one base64 character (a byte flip once decoded), or inserts a character that is not base64. */
function flipBase64(base64: string, at: number, replacement: string): string {
  const i = at % base64.length;
  return `${base64.slice(0, i)}${replacement}${base64.slice(i + 1)}`;
}

// --- Harness ----------------------------------------------------------------------------------------

let sp: TestSp;
let app: ReturnType<typeof createSpApp>;
let baseline: string;

/** Everything a response must never change. */
async function snapshotStores(): Promise<string> {
  const accounts = await sp.stores.accounts.list();
  const rest = await Promise.all(
    accounts.map(async (a) => ({ profile: await sp.stores.profiles.get(a.code), users: await sp.stores.directory.list(a.code) })),
  );
  return JSON.stringify({ accounts, rest });
}

before(async () => {
  sp = createTestSp();
  await sp.seedAccount({
    code: 'CUK12A34',
    domains: ['contoso.com'],
    profile: ENTRA_PROFILE,
    users: [{ email: EMAIL }, { email: 'admin@contoso.com', roles: ['Full Administrator'] }],
  });
  // The fuzzer posts hundreds of times a minute from one address: rate limits off for this app only.
  app = createSpApp({
    ctx: sp.ctx,
    sessionStore: sp.stores.sessionStore,
    sessionSecret: 's',
    adminToken: null,
    requireAdminToken: false,
    rateLimits: { windowSeconds: 60, signIn: 0, acs: 0, metadataImport: 0 },
  });
  baseline = await snapshotStores();
});
after(() => sp.close());

/** Posts a form body and checks the invariants; returns the answer for more checks. */
async function postAndCheck(body: string | Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const agent = request.agent(app);
  const res = await agent.post('/login/saml').set('Content-Type', contentType).send(body);
  assert.ok(res.status < 500, `status ${res.status}`);
  assert.equal(await snapshotStores(), baseline, 'accounts, profiles and directory are unchanged');
  const signedIn = res.status === 303 && ['/portal', '/administration'].includes(String(res.headers.location).split('?')[0] ?? '');
  return { res, agent, signedIn };
}

/** A sign-in must have read exactly what the IdP signed; a Destination may only be the original or absent. */
async function assertSignedInAsOriginal(agent: ReturnType<typeof request.agent>): Promise<void> {
  const session = await agent.get('/api/session');
  assert.equal(session.status, 200);
  const trace = await sp.stores.traces.get(session.body.traceId);
  assert.equal(trace?.outcome, 'success');
  assert.equal(trace?.summary.nameId, EMAIL);
  assert.equal(trace?.summary.issuer, ISSUER);
  assert.equal(session.body.nameId, EMAIL);
  assert.equal(session.body.issuer, ISSUER);
  const received = (id: string) => trace?.checks.find((c) => c.id === id)?.received;
  assert.equal(received('audience'), URLS.entraIdentifier);
  assert.ok([URLS.localAcsUrl, undefined].includes(received('destination')), `destination ${received('destination')}`);
  assert.equal(received('recipient'), URLS.localAcsUrl);
}

describe('ACS fuzzing', () => {
  it('mutated signed responses: never a 5xx, never a forged sign-in, never a store change', { timeout: 120_000 }, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    let signIns = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('A', '/', '+', '=', '*', ' ', '%')), { freq: 4 }),
        async (mutations, flip) => {
          const built = buildSignedTestResponse({
            now: sp.clock.now(),
            acsUrl: URLS.localAcsUrl,
            audience: URLS.entraIdentifier,
            email: EMAIL,
          });
          let xml = built.xml;
          for (const m of mutations) xml = applyMutation(xml, m);
          let base64 = Buffer.from(xml, 'utf8').toString('base64');
          if (flip) base64 = flipBase64(base64, flip[0], flip[1]);
          const { agent, signedIn } = await postAndCheck({ SAMLResponse: base64 });
          if (signedIn) {
            signIns += 1;
            await assertSignedInAsOriginal(agent);
          }
        },
      ),
      RUNS,
    );
    t.diagnostic(`mutated responses that still signed in (neutral mutations): ${signIns}`);
  });

  it('the unmutated response signs in, so the harness can tell success from refusal', async () => {
    const built = buildSignedTestResponse({ now: sp.clock.now(), acsUrl: URLS.localAcsUrl, audience: URLS.entraIdentifier, email: EMAIL });
    const { agent, signedIn } = await postAndCheck({ SAMLResponse: built.base64 });
    assert.equal(signedIn, true);
    await assertSignedInAsOriginal(agent);
  });

  it('raw bodies: never a 5xx, never a sign-in, never a store change', { timeout: 120_000 }, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const field = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.base64String({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
    );
    const body = fc.oneof(
      fc
        .record({ SAMLResponse: field, RelayState: fc.string({ maxLength: 80 }) }, { requiredKeys: [] })
        .map((r) => new URLSearchParams(r).toString()),
      fc
        .array(fc.tuple(fc.constantFrom('SAMLResponse', 'RelayState', 'SAMLRequest', '_csrf', 'x', ''), field), { maxLength: 25 })
        .map((pairs) => new URLSearchParams(pairs).toString()),
      fc.string({ unit: 'binary', maxLength: 400 }),
    );
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=koi8-r',
      'text/plain',
      'application/json',
      'multipart/form-data; boundary=x',
      'x/y',
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (raw, type) => {
        const { signedIn } = await postAndCheck(raw, type);
        assert.equal(signedIn, false);
      }),
      RUNS,
    );
  });
});
