import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { decideAuthnContext, type SignInMethod } from '../../../src/core/idp/aadsts.js';
import { createUser, updateAppSettings } from '../../../src/core/idp/admin.js';
import { type ParsedAuthnRequest, parseSamlRequest } from '../../../src/core/idp/authn-request.js';
import {
  beginIdpInitiatedSignIn,
  beginSpInitiatedSignIn,
  buildPassiveFailure,
  completeSignIn,
  resolveTenant,
  type SignedInUser,
} from '../../../src/core/idp/sso.js';
import { AUTHN_CONTEXT, NAMEID_FORMAT, NS, STATUS } from '../../../src/core/saml/constants.js';
import { descendantElements, parseXmlSafely, readAttribute, readText } from '../../../src/core/saml/xml.js';
import {
  B_SIMON,
  createTestIdpContext,
  DEFAULT_ACS_URL,
  DEFAULT_IDENTIFIER,
  seedContoso,
  type TestIdpContext,
} from '../../_helpers/idp-harness.js';

function request(
  overrides: { id?: string; issuer?: string; acs?: string | null; comparison?: string; classes?: string[]; format?: string } = {},
): ParsedAuthnRequest {
  const acs = overrides.acs === null ? '' : ` AssertionConsumerServiceURL="${overrides.acs ?? DEFAULT_ACS_URL}"`;
  const policy = overrides.format ? `<samlp:NameIDPolicy Format="${overrides.format}"/>` : '';
  const rac = overrides.classes
    ? `<samlp:RequestedAuthnContext Comparison="${overrides.comparison ?? 'exact'}">${overrides.classes.map((c) => `<saml:AuthnContextClassRef>${c}</saml:AuthnContextClassRef>`).join('')}</samlp:RequestedAuthnContext>`
    : '';
  const xml = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${overrides.id ?? '_r1'}" Version="2.0"${acs}><saml:Issuer>${overrides.issuer ?? DEFAULT_IDENTIFIER}</saml:Issuer>${policy}${rac}</samlp:AuthnRequest>`;
  return parseSamlRequest(xml) as ParsedAuthnRequest;
}

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.code;
  }
  return 'no error';
}

describe('mock Entra SSO decisions', () => {
  let t: TestIdpContext;
  let seeded: Awaited<ReturnType<typeof seedContoso>>;
  let simon: SignedInUser;
  before(async () => {
    t = createTestIdpContext();
    seeded = await seedContoso(t.ctx);
    simon = {
      tenantId: seeded.tenantId,
      objectId: seeded.objectId,
      userPrincipalName: B_SIMON.userPrincipalName,
      authMethod: 'password',
      authnInstant: t.clock.now().toISOString(),
    };
  });
  after(() => t.close());

  test('tenant by id, initial domain or verified domain; otherwise AADSTS90002', async () => {
    for (const name of [seeded.tenantId, 'contoso.onmicrosoft.com', 'CONTOSO.com'])
      assert.equal((await resolveTenant(t.ctx, name)).tenantId, seeded.tenantId);
    assert.equal(await codeOf(() => resolveTenant(t.ctx, 'fabrikam.com')), 'IDP_AADSTS90002');
  });

  test("errors before sign-in come in Entra's order", async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    // A request wrong in every way reports the digit ID first, then the issuer, then the reply URL.
    assert.equal(
      await codeOf(() => beginSpInitiatedSignIn(t.ctx, tenant, request({ id: '9x', issuer: 'nope', acs: 'https://x/' }), null)),
      'IDP_AADSTS7500529',
    );
    assert.equal(
      await codeOf(() => beginSpInitiatedSignIn(t.ctx, tenant, request({ issuer: 'nope', acs: 'https://x/' }), null)),
      'IDP_AADSTS700016',
    );
    assert.equal(await codeOf(() => beginSpInitiatedSignIn(t.ctx, tenant, request({ acs: 'https://x/' }), null)), 'IDP_AADSTS50011');
  });

  test('AADSTS700016 and 50011 carry the identifier, tenant and appId in their text', async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    const err700016 = await beginSpInitiatedSignIn(t.ctx, tenant, request({ issuer: 'urn:x' }), null).catch((e: AppError) => e);
    assert.ok(err700016 instanceof AppError && err700016.message.includes("'urn:x'") && err700016.message.includes(seeded.tenantId));
    const err50011 = await beginSpInitiatedSignIn(t.ctx, tenant, request({ acs: 'https://x/' }), null).catch((e: AppError) => e);
    assert.ok(err50011 instanceof AppError && err50011.message.includes(seeded.appId));
    assert.ok(err50011.message.includes("The redirect URI 'https://x/' specified in the request"));
  });

  test('no ACS URL in the request → the default reply URL answers', async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    const pending = await beginSpInitiatedSignIn(t.ctx, tenant, request({ acs: null }), 'rs');
    assert.equal(pending.acsUrl, DEFAULT_ACS_URL);
    assert.equal(pending.audience, DEFAULT_IDENTIFIER);
    assert.equal(pending.relayState, 'rs');
  });

  test('success: Destination, InResponseTo, audience, NameID per source and format, response signing option', async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, {
      signingOption: 'response-and-assertion',
      nameIdSource: 'user.objectid',
    });
    const pending = await beginSpInitiatedSignIn(t.ctx, tenant, request({ format: NAMEID_FORMAT.unspecified }), null);
    const outcome = await completeSignIn(t.ctx, pending, simon);
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { signingOption: 'assertion', nameIdSource: 'user.userprincipalname' });
    assert.equal(outcome.kind, 'post');
    if (outcome.kind !== 'post') return;
    const doc = parseXmlSafely(outcome.xml);
    assert.equal(readAttribute(doc.documentElement, 'Destination'), DEFAULT_ACS_URL);
    assert.equal(readAttribute(doc.documentElement, 'InResponseTo'), '_r1');
    const nameId = descendantElements(doc, NS.saml, 'NameID')[0] as Element;
    assert.equal(readText(nameId), seeded.objectId);
    assert.equal(readAttribute(nameId, 'Format'), NAMEID_FORMAT.emailAddress);
    assert.equal(descendantElements(doc, NS.ds, 'Signature').length, 2);
  });

  async function nameIdFor(format: string | undefined, who: SignedInUser = simon): Promise<{ value: string; format: string | null }> {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    const pending = await beginSpInitiatedSignIn(t.ctx, tenant, request(format ? { format } : {}), null);
    const outcome = await completeSignIn(t.ctx, pending, who);
    assert.equal(outcome.kind, 'post');
    const nameId = descendantElements(parseXmlSafely(outcome.kind === 'post' ? outcome.xml : ''), NS.saml, 'NameID')[0] as Element;
    return { value: readText(nameId), format: readAttribute(nameId, 'Format') };
  }

  test('NameIDPolicy persistent: a stable pairwise value per app and user, not the UPN or object id', async () => {
    const first = await nameIdFor(NAMEID_FORMAT.persistent);
    assert.equal(first.format, NAMEID_FORMAT.persistent);
    assert.match(first.value, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first.value, seeded.objectId);
    assert.deepEqual(await nameIdFor(NAMEID_FORMAT.persistent), first);
    const other = await createUser(t.ctx, seeded.tenantId, {
      userPrincipalName: 'Pairwise.Other@contoso.com',
      displayName: 'P',
      password: 'p',
    });
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { assignmentRequired: false });
    const otherValue = await nameIdFor(NAMEID_FORMAT.persistent, {
      ...simon,
      objectId: other.objectId,
      userPrincipalName: other.userPrincipalName,
    });
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { assignmentRequired: true });
    assert.notEqual(otherValue.value, first.value);
  });

  test('NameIDPolicy transient: a new random value each sign-in, never the UPN', async () => {
    const a = await nameIdFor(NAMEID_FORMAT.transient);
    const b = await nameIdFor(NAMEID_FORMAT.transient);
    assert.equal(a.format, NAMEID_FORMAT.transient);
    assert.notEqual(a.value, b.value);
    assert.ok(!a.value.includes('@'));
  });

  test('Name ID source user.mail empty for the user: a pairwise persistent NameID, not an error', async () => {
    const noMail = await createUser(t.ctx, seeded.tenantId, {
      userPrincipalName: 'No.Mailbox@contoso.com',
      displayName: 'N',
      password: 'p',
      mail: null,
    });
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { nameIdSource: 'user.mail', assignmentRequired: false });
    try {
      const sent = await nameIdFor(undefined, { ...simon, objectId: noMail.objectId, userPrincipalName: noMail.userPrincipalName });
      assert.equal(sent.format, NAMEID_FORMAT.persistent);
      assert.match(sent.value, /^[A-Za-z0-9_-]{43}$/);
    } finally {
      await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { nameIdSource: 'user.userprincipalname', assignmentRequired: true });
    }
  });

  test('AADSTS50105 for an unassigned user goes to the error page; not when assignment is not required', async () => {
    const other = await createUser(t.ctx, seeded.tenantId, { userPrincipalName: 'Nobody@contoso.com', displayName: 'N', password: 'p' });
    const who: SignedInUser = { ...simon, objectId: other.objectId, userPrincipalName: other.userPrincipalName };
    const pending = await beginIdpInitiatedSignIn(t.ctx, seeded.appId);
    const blocked = await completeSignIn(t.ctx, pending, who);
    assert.equal(blocked.kind, 'error-page');
    assert.equal(blocked.kind === 'error-page' && blocked.error.code, 'IDP_AADSTS50105');
    assert.ok(
      blocked.kind === 'error-page' && blocked.error.message.includes("'Nobody@contoso.com'") && blocked.error.message.includes('Mimecast'),
    );
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { assignmentRequired: false });
    assert.equal((await completeSignIn(t.ctx, pending, who)).kind, 'post');
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { assignmentRequired: true });
  });

  test('AADSTS7000112 when "Enabled for users to sign-in?" is No, before the assignment check, on the error page', async () => {
    const pending = await beginIdpInitiatedSignIn(t.ctx, seeded.appId);
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { enabledForSignIn: false });
    try {
      const blocked = await completeSignIn(t.ctx, pending, simon);
      assert.equal(blocked.kind, 'error-page');
      assert.equal(blocked.kind === 'error-page' && blocked.error.code, 'IDP_AADSTS7000112');
      assert.deepEqual(blocked.kind === 'error-page' && blocked.error.details, { appId: seeded.appId });
      // An unassigned user of a disabled app hears that the app is disabled, not that they are unassigned.
      const other = await createUser(t.ctx, seeded.tenantId, {
        userPrincipalName: 'Disabled.Check@contoso.com',
        displayName: 'D',
        password: 'p',
      });
      const unassigned = await completeSignIn(t.ctx, pending, {
        ...simon,
        objectId: other.objectId,
        userPrincipalName: other.userPrincipalName,
      });
      assert.equal(unassigned.kind === 'error-page' && unassigned.error.code, 'IDP_AADSTS7000112');
    } finally {
      await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { enabledForSignIn: true });
    }
    assert.equal((await completeSignIn(t.ctx, pending, simon)).kind, 'post');
  });

  test("AADSTS75011 stops the user on Entra's error page: nothing is posted to the SP", async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    const pending = await beginSpInitiatedSignIn(t.ctx, tenant, request({ classes: [AUTHN_CONTEXT.password] }), null);
    const outcome = await completeSignIn(t.ctx, pending, { ...simon, authMethod: 'certificate' });
    assert.equal(outcome.kind, 'error-page');
    if (outcome.kind !== 'error-page') return;
    assert.equal(outcome.error.code, 'IDP_AADSTS75011');
    assert.deepEqual(outcome.error.details, { method: 'certificate', requested: [AUTHN_CONTEXT.password] });
  });

  test("IsPassive with nobody signed in: AADSTS50058 as Requester/NoPassive, shaped like the protocol doc's error response", async () => {
    const tenant = await resolveTenant(t.ctx, seeded.tenantId);
    const pending = await beginSpInitiatedSignIn(t.ctx, tenant, request(), null);
    const outcome = await buildPassiveFailure(t.ctx, pending);
    assert.equal(outcome.kind === 'post' && outcome.error?.code, 'IDP_AADSTS50058');
    const doc = parseXmlSafely(outcome.kind === 'post' ? outcome.xml : '');
    const codes = descendantElements(doc, NS.samlp, 'StatusCode').map((c) => readAttribute(c, 'Value'));
    assert.deepEqual(codes, [STATUS.requester, STATUS.noPassive]);
    const message = readText(descendantElements(doc, NS.samlp, 'StatusMessage')[0] as Element);
    assert.match(message, /^AADSTS50058: A silent sign-in request was sent but no user is signed in\.\n/);
    // The protocol doc's sample error response: no Destination, trace lines at the end.
    assert.equal(readAttribute(doc.documentElement as Element, 'Destination'), null);
    const lines = message.split('\n').slice(1);
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf(':'))),
      ['Trace ID', 'Correlation ID', 'Timestamp'],
    );
    assert.equal(lines[2], `Timestamp: ${t.clock.now().toISOString()}`);
  });

  test('IdP-initiated: no InResponseTo, default reply URL, first identifier, app Relay State', async () => {
    await updateAppSettings(t.ctx, seeded.tenantId, seeded.appId, { relayState: '/x' });
    const pending = await beginIdpInitiatedSignIn(t.ctx, seeded.appId);
    assert.deepEqual(
      [pending.requestId, pending.acsUrl, pending.audience, pending.relayState],
      [null, DEFAULT_ACS_URL, DEFAULT_IDENTIFIER, '/x'],
    );
    assert.equal(await codeOf(() => beginIdpInitiatedSignIn(t.ctx, '00000000-0000-4000-8000-000000000000')), 'IDP_APP_NOT_FOUND');
  });
});

describe('authentication context mapping table', () => {
  const exact = (classRefs: string[]) => ({ comparison: 'exact', classRefs });
  const table: [SignInMethod, string[], string | null][] = [
    ['password', [AUTHN_CONTEXT.password], AUTHN_CONTEXT.password],
    ['password', [AUTHN_CONTEXT.passwordProtectedTransport], AUTHN_CONTEXT.passwordProtectedTransport],
    ['password', [AUTHN_CONTEXT.windows], null],
    ['password', [AUTHN_CONTEXT.windows, AUTHN_CONTEXT.passwordProtectedTransport], AUTHN_CONTEXT.passwordProtectedTransport],
    ['windows-integrated', [AUTHN_CONTEXT.windows], AUTHN_CONTEXT.windows],
    ['windows-integrated', [AUTHN_CONTEXT.passwordProtectedTransport], null],
    ['multi-factor', [AUTHN_CONTEXT.password], AUTHN_CONTEXT.password],
    ['multi-factor', [AUTHN_CONTEXT.passwordProtectedTransport], AUTHN_CONTEXT.passwordProtectedTransport],
    ['multi-factor', [AUTHN_CONTEXT.windows], null],
    ['windows-hello', [AUTHN_CONTEXT.passwordProtectedTransport], null],
    ['windows-hello', [AUTHN_CONTEXT.password], null],
    ['multi-factor', [AUTHN_CONTEXT.multiFactor], AUTHN_CONTEXT.multiFactor],
    ['certificate', [AUTHN_CONTEXT.x509], AUTHN_CONTEXT.x509],
    ['certificate', [AUTHN_CONTEXT.password], null],
  ];
  for (const [method, requested, expected] of table) {
    test(`${method} vs ${requested.join(' + ')} → ${expected ?? 'AADSTS75011'}`, () => {
      const decision = decideAuthnContext(method, exact(requested));
      assert.deepEqual(decision.ok ? decision.classRef : null, expected);
    });
  }

  test('no request: the method’s own class; non-exact comparisons are not enforced', () => {
    const none = decideAuthnContext('windows-integrated', null);
    assert.equal(none.ok && none.classRef, AUTHN_CONTEXT.windows);
    const minimum = decideAuthnContext('multi-factor', { comparison: 'minimum', classRefs: [AUTHN_CONTEXT.password] });
    assert.equal(minimum.ok, true);
  });
});
