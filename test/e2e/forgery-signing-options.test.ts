/**
 * The forgery classes on genuine messages of the mock Entra, under each of Entra's three Signing
 * Options with token encryption off and on: the attacker holds one response the mock Entra signed
 * for B.Simon and wants to be Kate, an administrator of the Mimecast account. Each forgery is posted
 * to the ACS over HTTP and given to the offline check; both must refuse it with the named check,
 * leave no session, and record a trace. The genuine message then signs in, so the refusals are of the
 * forgeries and not of the setup.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readValidationSettings } from '../../src/config/validation.js';
import { decodeXml, findElement, parseRawXml } from '../../src/conformance/xml-craft.js';
import { NS } from '../../src/core/saml/constants.js';
import { checkCapturedResponse } from '../../src/core/sp/offline-check.js';
import type { Trace } from '../../src/core/sp/traces.js';
import type { Harness } from '../../src/runtime/harness.js';
import { readSpKeys } from '../../src/runtime/keys.js';
import { SEED } from '../../src/runtime/seed.js';
import { IDP_SEED } from '../../src/runtime/seed-idp.js';
import { readForms, TestBrowser } from '../../src/testing/browser.js';
import { startTestHarness } from '../../src/testing/harness.js';
import { ENTRA_FORGERIES, type EntraCapture, openCapture } from '../_helpers/entra-forgeries.js';

const VICTIM = 'kate@contoso.com';
const LOOK_ALIKE_UPN = 'kelvin.kate@contoso.com';
const KEYS = (() => {
  const sp = readSpKeys();
  return { spEncryptionKey: sp.encryptionKey, spEncryptionCert: sp.encryptionCert };
})();

const OPTIONS = [
  { signingOption: 'assertion', responseSigned: false, assertionSigned: true },
  { signingOption: 'response', responseSigned: true, assertionSigned: false },
  { signingOption: 'response-and-assertion', responseSigned: true, assertionSigned: true },
] as const;

interface Post {
  action: string;
  fields: Record<string, string>;
}

/** Walks the mock Entra's IdP-initiated sign-in and stops at the auto-posted form bound for the SP. */
async function captureEntraPost(h: Harness, appId: string, upn: string): Promise<Post> {
  const browser = new TestBrowser();
  let page = await browser.get(`${h.idpUrl}/apps/${encodeURIComponent(appId)}/idp-initiated`);
  for (let step = 0; step < 10; step++) {
    const forms = readForms(page);
    const toSp = forms.find((f) => f.action.startsWith(h.spUrl) && 'SAMLResponse' in f.fields);
    if (toSp) return { action: toSp.action, fields: toSp.fields };
    if (forms.some((f) => f.id === 'kmsi-form')) page = await browser.submit(page, { form: 'kmsi-form', fields: { LoginOptions: '3' } });
    else if (forms.some((f) => 'passwd' in f.fields)) page = await browser.submit(page, { fields: { passwd: IDP_SEED.password } });
    else if (forms.some((f) => 'loginfmt' in f.fields)) page = await browser.submit(page, { fields: { loginfmt: upn } });
    else if (forms.some((f) => f.name === 'hiddenform')) page = await browser.submit(page, { form: 'hiddenform' });
    else break;
  }
  throw new Error(`the mock Entra posted nothing to the SP; ended at ${page.url} (${page.status})`);
}

/** Posts a SAMLResponse to the ACS as a browser would, without following the redirect. */
async function postToAcs(h: Harness, post: Post, samlResponse: string): Promise<{ status: number; cookies: string[]; trace: Trace }> {
  const response = await fetch(post.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...post.fields, SAMLResponse: samlResponse }),
  });
  const text = await response.text();
  const cookies = response.headers.getSetCookie();
  let traceId = (response.headers.get('location') ?? text).match(/traces\/([0-9a-f-]{36})/)?.[1];
  if (!traceId && cookies.length > 0) {
    // Signed in: the SP session names the trace of its sign-in.
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const session = await fetch(`${h.spUrl}/api/session`, { headers: { accept: 'application/json', cookie } });
    traceId = ((await session.json()) as { traceId?: string }).traceId;
  }
  assert.ok(traceId, `no trace named in the ACS answer (HTTP ${response.status})`);
  const traceResponse = await fetch(`${h.spUrl}/api/traces/${traceId}`, { headers: { accept: 'application/json' } });
  assert.equal(traceResponse.status, 200);
  return { status: response.status, cookies, trace: (await traceResponse.json()) as Trace };
}

async function callApi(url: string, method: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  assert.ok(response.status < 300, `${method} ${url}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}

for (const option of OPTIONS) {
  for (const encrypted of [false, true]) {
    describe(`forgeries on the mock Entra's ${option.signingOption}-signed message, token encryption ${encrypted ? 'on' : 'off'}`, () => {
      let h: Harness;
      let appApi: string;
      let tenantApi: string;
      let genuine: Post;
      let capture: EntraCapture;
      let metadataXml: string;

      before(async () => {
        h = await startTestHarness();
        const idp = h.walkthrough.idp;
        assert.ok(idp);
        tenantApi = `${h.idpUrl}/api/tenants/${idp.tenantId}`;
        appApi = `${tenantApi}/apps/${idp.appId}`;
        await callApi(appApi, 'PATCH', {
          signingOption: option.signingOption,
          tokenEncryptionCertificate: encrypted ? KEYS.spEncryptionCert : null,
        });
        const profile = await h.sp.stores.profiles.get(SEED.accountCode);
        assert.ok(profile);
        await h.sp.stores.profiles.put({ ...profile, acceptEncryptedAssertions: encrypted });
        await h.sp.stores.directory.create(
          {
            accountCode: SEED.accountCode,
            email: VICTIM,
            globalName: 'Kate',
            forceChangeAtLogin: false,
            roles: ['Super Administrator'],
            createdAt: new Date().toISOString(),
          },
          null,
        );
        genuine = await captureEntraPost(h, idp.appId, IDP_SEED.userPrincipalName);
        capture = { xml: decodeXml(genuine.fields.SAMLResponse ?? ''), encrypted };
        const metadata = await fetch(idp.appFederationMetadataUrl);
        metadataXml = await metadata.text();
      });
      after(() => h?.close());

      test('the captured message has the shape this option and setting make', () => {
        const root = parseRawXml(capture.xml).documentElement as Element;
        assert.equal(root.getElementsByTagNameNS(NS.saml, 'EncryptedAssertion').length, encrypted ? 1 : 0);
        const responseSigned = [...Array.from(root.childNodes)].some((n) => n.nodeType === 1 && (n as Element).localName === 'Signature');
        assert.equal(responseSigned, option.responseSigned);
      });

      for (const forgery of ENTRA_FORGERIES) {
        if (!forgery.applies({ ...option, encrypted })) continue;
        const expected = forgery.expected({ ...option, encrypted });
        test(`${forgery.id} → ${expected.check} ${expected.code}, over HTTP and in the offline check`, async () => {
          const forged = await forgery.build(capture, KEYS, { victim: VICTIM, metadataXml });
          const { status, cookies, trace } = await postToAcs(h, genuine, forged);
          assert.ok(status >= 400 && status < 500, `HTTP ${status}`);
          assert.deepEqual(
            cookies.filter((c) => /^mimecast-session=[^;]/i.test(c)),
            [],
          );
          assert.equal(trace.outcome, 'failure');
          const check = trace.checks.find((c) => c.id === expected.check);
          assert.equal(check?.status, 'fail', `${expected.check}: ${JSON.stringify(check)}; failed: ${trace.summary.firstFailure}`);
          assert.equal(check?.code, expected.code);
          // The report never calls a signature verified that did not verify.
          for (const element of ['response', 'assertion']) {
            if (trace.checks.find((c) => c.id === `${element}-signature`)?.status !== 'fail') continue;
            const overall = trace.checks.find((c) => c.id === 'signature');
            assert.equal(overall?.received?.includes(`${element} verified`) ?? false, false, `signature: ${overall?.received}`);
          }

          const audience = findElement(parseRawXml(await openCapture(capture, KEYS)), NS.saml, 'Audience');
          const offline = await checkCapturedResponse({
            samlResponse: forged,
            certificates: (await h.sp.stores.profiles.get(SEED.accountCode))?.idpCertificates ?? [],
            issuer: null,
            acsUrl: genuine.action,
            audience: audience.textContent ?? '',
            now: new Date(),
            clockFrozen: false,
            validation: readValidationSettings(h.config.saml),
            decryptionKey: encrypted ? KEYS.spEncryptionKey : null,
          });
          assert.equal(offline.ok, false);
          assert.equal(offline.checks.find((c) => c.id === expected.check)?.code, expected.code);
        });
      }

      test('the genuine message, posted last, signs in B.Simon and not Kate', async () => {
        const { status, trace } = await postToAcs(h, genuine, genuine.fields.SAMLResponse ?? '');
        assert.equal(status, 303);
        assert.equal(trace.outcome, 'success');
        assert.equal(trace.summary.nameId, IDP_SEED.userPrincipalName);
      });

      test('a look-alike NameID the mock Entra signs itself (Kelvin sign in mail) is SP_USER_NOT_FOUND, never Kate', async () => {
        const lookAlike = VICTIM.replace('k', '\u212A');
        await callApi(`${tenantApi}/users`, 'POST', {
          userPrincipalName: LOOK_ALIKE_UPN,
          displayName: 'Kelvin',
          password: IDP_SEED.password,
          mail: lookAlike,
        });
        await callApi(`${appApi}/assignments`, 'POST', { userPrincipalName: LOOK_ALIKE_UPN });
        await callApi(appApi, 'PATCH', { nameIdSource: 'user.mail' });
        const post = await captureEntraPost(h, h.walkthrough.idp?.appId ?? '', LOOK_ALIKE_UPN);
        const { status, trace } = await postToAcs(h, post, post.fields.SAMLResponse ?? '');
        assert.ok(status >= 400 && status < 500, `HTTP ${status}`);
        assert.equal(trace.summary.nameId, lookAlike);
        assert.equal(trace.checks.find((c) => c.id === 'signature')?.status, 'pass');
        assert.equal(trace.checks.find((c) => c.id === 'directory-user')?.code, 'SP_USER_NOT_FOUND');
      });
    });
  }
}
