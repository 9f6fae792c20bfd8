import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENTRA_CLAIM, NAMEID_FORMAT } from '../../../src/core/saml/constants.js';
import { startSpInitiatedSignIn } from '../../../src/core/sp/sign-in.js';
import { assertCheck, assertRefused, assertSignedIn, decodeXml, post, signing, withCore } from '../../_helpers/check-assert.js';
import { TEST_OBJECT_ID, TEST_TENANT_ID } from '../../_helpers/idp-signer.js';
import { ACCOUNT, ISSUER, NOW, USER_EMAIL } from '../../_helpers/sp-core.js';

/** Every check the ACS reports for a decodable response: payload, each rule in order. */
const ALL_CHECK_IDS = [
  'payload',
  'account',
  'version',
  'status',
  'issuer',
  'destination',
  'encryption',
  'single-assertion',
  'response-signature',
  'assertion-signature',
  'signature',
  'signature-algorithm',
  'certificate-validity',
  'node-saml',
  'subject-confirmation',
  'recipient',
  'timestamps',
  'audience',
  'in-response-to',
  'idp-initiated',
  'replay',
  'name-id',
  'directory-user',
  'authn-statement',
  'authn-context',
];

const ENTRA_ORDER = [
  ENTRA_CLAIM.tenantId,
  ENTRA_CLAIM.objectId,
  ENTRA_CLAIM.displayName,
  ENTRA_CLAIM.identityProvider,
  ENTRA_CLAIM.authnMethodsReferences,
  ENTRA_CLAIM.givenName,
  ENTRA_CLAIM.surname,
  ENTRA_CLAIM.emailAddress,
  ENTRA_CLAIM.name,
];

const fullUser = {
  userPrincipalName: USER_EMAIL,
  mail: USER_EMAIL,
  objectId: TEST_OBJECT_ID,
  displayName: 'B.Simon',
  givenName: 'B',
  surname: 'Simon',
};

describe('consumeSamlResponse', () => {
  test('a success returns a session with the email, the attributes in Entra order and the SessionIndex', async () => {
    await withCore({}, async (t) => {
      const response = t.respond({ user: fullUser });
      const assertionId = /<Assertion [^>]*ID="([^"]+)"/.exec(decodeXml(response))?.[1];
      const outcome = await post(t, response);
      const session = assertSignedIn(outcome);
      assert.equal(session.accountCode, ACCOUNT.code);
      assert.equal(session.email, USER_EMAIL);
      assert.equal(session.globalName, 'B. Simon');
      assert.equal(session.nameId, USER_EMAIL);
      assert.equal(session.nameIdFormat, NAMEID_FORMAT.emailAddress);
      assert.equal(session.issuer, ISSUER);
      assert.equal(session.sessionIndex, assertionId);
      assert.equal(session.isAdministrator, false);
      assert.equal(session.landing, '/portal');
      assert.equal(session.flow, 'idp-initiated');
      assert.equal(session.signedInAt, NOW.toISOString());
      assert.equal(session.traceId, outcome.trace.id);
      assert.deepEqual(
        session.attributes.map((a) => a.name),
        ENTRA_ORDER,
      );
      assert.deepEqual(session.attributes[0]?.values, [TEST_TENANT_ID]);
    });
  });

  test('the trace is stored with every check, and the summary describes the exchange', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond(), '/portal');
      const stored = await t.stores.traces.get(outcome.trace.id);
      assert.ok(stored);
      assert.equal(stored.kind, 'response');
      assert.equal(stored.outcome, 'success');
      assert.equal(stored.accountCode, ACCOUNT.code);
      assert.equal(stored.binding, 'HTTP-POST');
      assert.equal(stored.relayState, '/portal');
      assert.ok(stored.xml?.includes('samlp:Response'));
      assert.deepEqual(
        stored.checks.map((c) => c.id),
        [...ALL_CHECK_IDS, 'relay-state'],
      );
      assert.equal(
        stored.checks.some((c) => c.status === 'fail'),
        false,
      );
      assert.equal(stored.summary.flow, 'idp-initiated');
      assert.equal(stored.summary.issuer, ISSUER);
      assert.equal(stored.summary.nameId, USER_EMAIL);
      assert.equal(stored.summary.resolvedBy, 'audience');
      assert.equal(stored.summary.landing, '/portal');
      assert.equal(stored.summary.firstFailure, undefined);
    });
  });

  test('a failure stores a failure trace with every check and summary.firstFailure', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond({ signing: signing({ option: 'none' }), recipient: 'https://other.example/acs' }));
      assertRefused(outcome);
      const stored = await t.stores.traces.get(outcome.trace.id);
      assert.ok(stored);
      assert.equal(stored.outcome, 'failure');
      assert.deepEqual(
        stored.checks.map((c) => c.id),
        ALL_CHECK_IDS,
      );
      // The first failing check in report order names the headline code.
      const first = stored.checks.find((c) => c.status === 'fail');
      assert.equal(first?.code, 'SP_SIGNATURE_MISSING');
      assert.equal(stored.summary.firstFailure, 'SP_SIGNATURE_MISSING');
      assertCheck(stored, 'recipient', 'fail', 'SP_RECIPIENT_MISMATCH');
      assert.equal(stored.summary.landing, undefined);
    });
  });

  test('an SP-initiated success consumes the pending request and records the flow', async () => {
    await withCore({}, async (t) => {
      const { requestId } = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: '/portal/settings' });
      const outcome = await post(t, t.respond({ inResponseTo: requestId }), '/portal/settings');
      const session = assertSignedIn(outcome);
      assert.equal(session.flow, 'sp-initiated');
      assert.equal(session.landing, '/portal/settings');
      assert.equal(outcome.trace.summary.resolvedBy, 'pending-request');
      assert.equal(await t.stores.pending.get(requestId), null);
    });
  });

  test('a failed sign-in consumes neither the pending request nor the assertion id', async () => {
    await withCore({ profile: { usePasswordProtectedContext: true } }, async (t) => {
      const { requestId } = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
      const outcome = await post(t, t.respond({ inResponseTo: requestId }));
      assertRefused(outcome);
      assert.ok(await t.stores.pending.get(requestId));
      const assertionId = outcome.trace.summary.assertionId;
      assert.ok(assertionId);
      assert.equal(await t.stores.replay.has(assertionId), false);
    });
  });

  test('an undecodable payload still leaves a stored failure trace', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, 'not base64!');
      assertRefused(outcome);
      const stored = await t.stores.traces.get(outcome.trace.id);
      assert.equal(stored?.summary.firstFailure, 'SP_PAYLOAD_NOT_BASE64');
      assert.equal(stored?.accountCode, null);
      assert.equal(stored?.xml, null);
    });
  });
});
