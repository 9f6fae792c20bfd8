import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { decodeRedirectBinding } from '../../../src/core/saml/bindings.js';
import { NS } from '../../../src/core/saml/constants.js';
import { buildSpMetadata, resolveAccountByEmail, startSpInitiatedSignIn } from '../../../src/core/sp/sign-in.js';
import { withCore } from '../../_helpers/check-assert.js';
import { ACCOUNT, NOW, URLS } from '../../_helpers/sp-core.js';

const rejectsWith = (code: ErrorCode) => (error: unknown) => error instanceof AppError && error.code === code;
const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');

describe('resolveAccountByEmail', () => {
  test('the email domain picks the account and its profile, case-insensitively', async () => {
    await withCore({}, async (t) => {
      const { account, profile } = await resolveAccountByEmail(t.ctx, '  b.simon@CONTOSO.com ');
      assert.equal(account.code, ACCOUNT.code);
      assert.equal(profile.accountCode, ACCOUNT.code);
    });
  });

  test('an unknown domain is ACCOUNT_NOT_FOUND_FOR_EMAIL', async () => {
    await withCore({}, async (t) => {
      await assert.rejects(resolveAccountByEmail(t.ctx, 'someone@fabrikam.com'), rejectsWith('ACCOUNT_NOT_FOUND_FOR_EMAIL'));
    });
  });

  test('a profile that enforces no SAML is SAML_NOT_ENFORCED', async () => {
    await withCore({ profile: { enforceAdminConsole: false, enforcePersonalPortal: false, enforceEndUserApps: false } }, async (t) => {
      await assert.rejects(resolveAccountByEmail(t.ctx, 'b.simon@contoso.com'), rejectsWith('SAML_NOT_ENFORCED'));
    });
  });

  test('a profile without Login URL, Issuer URL or certificate is PROFILE_INCOMPLETE', async () => {
    for (const profile of [{ loginUrl: null }, { issuerUrl: null }, { idpCertificates: [] }]) {
      await withCore({ profile }, async (t) => {
        await assert.rejects(resolveAccountByEmail(t.ctx, 'b.simon@contoso.com'), rejectsWith('PROFILE_INCOMPLETE'));
      });
    }
  });

  test('text that is not an email address is VALIDATION_FAILED', async () => {
    await withCore({}, async (t) => {
      for (const email of ['b.simon', '', '@contoso.com', 'b.simon@']) {
        await assert.rejects(resolveAccountByEmail(t.ctx, email), rejectsWith('VALIDATION_FAILED'));
      }
    });
  });
});

describe('startSpInitiatedSignIn', () => {
  test('HTTP-POST (Mimecast default): an AuthnRequest for the account, remembered server-side', async () => {
    await withCore({}, async (t) => {
      const start = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: '/portal' });
      assert.equal(start.kind, 'post');
      if (start.kind !== 'post') return;
      assert.equal(start.action, `https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2`);
      assert.equal(start.fields.RelayState, '/portal');
      const request = parse(Buffer.from(start.fields.SAMLRequest ?? '', 'base64').toString('utf8')).documentElement as Element;
      assert.equal(request.localName, 'AuthnRequest');
      assert.equal(request.namespaceURI, NS.samlp);
      assert.equal(request.getAttribute('ID'), start.requestId);
      assert.equal(request.getAttribute('AssertionConsumerServiceURL'), URLS.localAcsUrl);
      assert.equal(request.getElementsByTagNameNS(NS.saml, 'Issuer').item(0)?.textContent, URLS.entraIdentifier);
      const pending = await t.stores.pending.get(start.requestId);
      assert.equal(pending?.accountCode, ACCOUNT.code);
      assert.equal(pending?.expiresAt, new Date(NOW.getTime() + t.ctx.settings.pendingRequestTtlMs).toISOString());
      const trace = await t.stores.traces.get(start.traceId);
      assert.equal(trace?.kind, 'authn-request');
      assert.equal(trace?.binding, 'HTTP-POST');
    });
  });

  test("requestBinding 'redirect' gives a location with SAMLRequest", async () => {
    await withCore({ profile: { requestBinding: 'redirect' } }, async (t) => {
      const start = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: '/portal' });
      assert.equal(start.kind, 'redirect');
      if (start.kind !== 'redirect') return;
      const location = new URL(start.location);
      assert.equal(
        `${location.origin}${location.pathname}`,
        'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2',
      );
      const samlRequest = location.searchParams.get('SAMLRequest');
      assert.ok(samlRequest);
      assert.equal(location.searchParams.get('RelayState'), '/portal');
      const request = parse(decodeRedirectBinding(samlRequest, t.ctx.settings.maxSamlBytes)).documentElement as Element;
      assert.equal(request.localName, 'AuthnRequest');
      assert.equal(request.getAttribute('ID'), start.requestId);
      assert.ok(await t.stores.pending.get(start.requestId));
      assert.equal((await t.stores.traces.get(start.traceId))?.binding, 'HTTP-Redirect');
    });
  });

  test('request ids are SAML NCNames that do not start with a digit (AADSTS7500529)', async () => {
    await withCore({}, async (t) => {
      const { requestId } = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      assert.match(requestId, /^[_A-Za-z]/);
    });
  });

  test('an unsafe RelayState is RELAY_STATE_UNSAFE and no request is remembered', async () => {
    await withCore({}, async (t) => {
      for (const relayState of ['https://evil.example/', '//evil', '/\\evil']) {
        await assert.rejects(startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState }), rejectsWith('RELAY_STATE_UNSAFE'));
      }
      assert.equal((await t.stores.traces.list({})).length, 0);
    });
  });

  test('an unknown account is ACCOUNT_NOT_FOUND; an incomplete profile is PROFILE_INCOMPLETE', async () => {
    await withCore({ profile: { loginUrl: null } }, async (t) => {
      await assert.rejects(startSpInitiatedSignIn(t.ctx, { accountCode: 'CUK00X00', relayState: null }), rejectsWith('ACCOUNT_NOT_FOUND'));
      await assert.rejects(
        startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null }),
        rejectsWith('PROFILE_INCOMPLETE'),
      );
    });
  });
});

describe('buildSpMetadata', () => {
  test("entityID is the account's Entra Identifier and the ACS is the local one", async () => {
    await withCore({}, async (t) => {
      const doc = parse(await buildSpMetadata(t.ctx, ACCOUNT.code));
      const entity = doc.documentElement as Element;
      assert.equal(entity.localName, 'EntityDescriptor');
      assert.equal(entity.getAttribute('entityID'), URLS.entraIdentifier);
      const acs = doc.getElementsByTagNameNS(NS.md, 'AssertionConsumerService').item(0);
      assert.equal(acs?.getAttribute('Location'), URLS.localAcsUrl);
      assert.equal(acs?.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    });
  });

  test("with provider 'other' the entityID is the legacy Identifier", async () => {
    await withCore({ profile: { provider: 'other' } }, async (t) => {
      const doc = parse(await buildSpMetadata(t.ctx, ACCOUNT.code));
      assert.equal((doc.documentElement as Element).getAttribute('entityID'), URLS.legacyIdentifier);
    });
  });

  test('an unknown account is ACCOUNT_NOT_FOUND', async () => {
    await withCore({}, async (t) => {
      await assert.rejects(buildSpMetadata(t.ctx, 'CUK00X00'), rejectsWith('ACCOUNT_NOT_FOUND'));
    });
  });
});
