import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { AUTHN_CONTEXT, NS } from '../../../../src/core/saml/constants.js';
import type { AuthProfile } from '../../../../src/core/sp/accounts.js';
import { startSpInitiatedSignIn } from '../../../../src/core/sp/sign-in.js';
import { assertCheck, assertRefused, assertRefusedBy, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { ACCOUNT, type TestSpCore } from '../../../_helpers/sp-core.js';

/** Starts SP-initiated sign-in (HTTP-POST) and reads the AuthnRequest that would be posted. */
async function startAndRead(t: TestSpCore): Promise<{ requestId: string; request: Document }> {
  const start = await startSpInitiatedSignIn(t.ctx, { accountCode: ACCOUNT.code, relayState: null });
  assert.equal(start.kind, 'post');
  const xml = Buffer.from(start.kind === 'post' ? (start.fields.SAMLRequest ?? '') : '', 'base64').toString('utf8');
  return { requestId: start.requestId, request: new DOMParser().parseFromString(xml, 'text/xml') };
}

function readRequested(request: Document): { comparison: string | null; classes: string[] } | null {
  const requested = request.getElementsByTagNameNS(NS.samlp, 'RequestedAuthnContext');
  if (requested.length === 0) return null;
  const el = requested.item(0) as Element;
  const classes = Array.from(el.getElementsByTagNameNS(NS.saml, 'AuthnContextClassRef')).map((c) => (c.textContent ?? '').trim());
  return { comparison: el.getAttribute('Comparison'), classes };
}

const PASSWORD_PROTECTED: Partial<AuthProfile> = { usePasswordProtectedContext: true };
const BOTH: Partial<AuthProfile> = { usePasswordProtectedContext: true, useIntegratedAuthContext: true };

describe('authn-context check', () => {
  test('Use Password protected Context asks for PasswordProtectedTransport, Comparison exact', async () => {
    await withCore({ profile: PASSWORD_PROTECTED }, async (t) => {
      const { request } = await startAndRead(t);
      assert.deepEqual(readRequested(request), { comparison: 'exact', classes: [AUTHN_CONTEXT.passwordProtectedTransport] });
    });
  });

  test('both switches ask for both classes', async () => {
    await withCore({ profile: BOTH }, async (t) => {
      const { request, requestId } = await startAndRead(t);
      const requested = readRequested(request);
      assert.equal(requested?.comparison, 'exact');
      assert.deepEqual(new Set(requested?.classes), new Set([AUTHN_CONTEXT.passwordProtectedTransport, AUTHN_CONTEXT.windows]));
      const pending = await t.stores.pending.get(requestId);
      assert.deepEqual(
        new Set(pending?.requestedAuthnContexts),
        new Set([AUTHN_CONTEXT.passwordProtectedTransport, AUTHN_CONTEXT.windows]),
      );
    });
  });

  test('neither switch sends no RequestedAuthnContext', async () => {
    await withCore({ profile: { usePasswordProtectedContext: false, useIntegratedAuthContext: false } }, async (t) => {
      const { request } = await startAndRead(t);
      assert.equal(readRequested(request), null);
    });
  });

  test('a response with the requested PasswordProtectedTransport passes', async () => {
    await withCore({ profile: PASSWORD_PROTECTED }, async (t) => {
      const { requestId } = await startAndRead(t);
      const outcome = await post(t, t.respond({ inResponseTo: requestId, authnContextClassRef: AUTHN_CONTEXT.passwordProtectedTransport }));
      assertCheck(outcome, 'authn-context', 'pass');
      assert.equal(assertSignedIn(outcome).authnContextClassRef, AUTHN_CONTEXT.passwordProtectedTransport);
    });
  });

  test("Entra's default Password class when PasswordProtectedTransport was requested is SP_AUTHN_CONTEXT_MISMATCH", async () => {
    await withCore({ profile: PASSWORD_PROTECTED }, async (t) => {
      const { requestId } = await startAndRead(t);
      const outcome = await post(t, t.respond({ inResponseTo: requestId, authnContextClassRef: AUTHN_CONTEXT.password }));
      assertRefusedBy(outcome, 'authn-context', 'SP_AUTHN_CONTEXT_MISMATCH');
    });
  });

  test('with both switches, Windows integrated authentication passes and X509 fails', async () => {
    await withCore({ profile: BOTH }, async (t) => {
      const first = await startAndRead(t);
      assertCheck(
        await post(t, t.respond({ inResponseTo: first.requestId, authnContextClassRef: AUTHN_CONTEXT.windows })),
        'authn-context',
        'pass',
      );
      const second = await startAndRead(t);
      assertRefusedBy(
        await post(t, t.respond({ inResponseTo: second.requestId, authnContextClassRef: AUTHN_CONTEXT.x509 })),
        'authn-context',
        'SP_AUTHN_CONTEXT_MISMATCH',
      );
    });
  });

  test('an AuthnStatement without a class when one was requested is SP_AUTHN_CONTEXT_MISMATCH', async () => {
    await withCore({ profile: PASSWORD_PROTECTED }, async (t) => {
      const { requestId } = await startAndRead(t);
      const outcome = await post(
        t,
        t.respond({
          inResponseTo: requestId,
          beforeSign: (doc) => {
            const ref = doc.getElementsByTagNameNS(NS.saml, 'AuthnContextClassRef').item(0) as Element;
            ref.parentNode?.removeChild(ref);
          },
        }),
      );
      assertRefusedBy(outcome, 'authn-context', 'SP_AUTHN_CONTEXT_MISMATCH');
    });
  });

  test('no request asked for a context: any class passes (check skipped)', async () => {
    await withCore({}, async (t) => {
      const { requestId } = await startAndRead(t);
      const outcome = await post(t, t.respond({ inResponseTo: requestId, authnContextClassRef: AUTHN_CONTEXT.x509 }));
      assertCheck(outcome, 'authn-context', 'skip');
      assertSignedIn(outcome);
    });
  });

  test('an assertion without any AuthnStatement is refused (SAML Profiles 4.1.4.2)', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(
        t,
        t.respond({
          beforeSign: (doc) => {
            const statement = doc.getElementsByTagNameNS(NS.saml, 'AuthnStatement').item(0) as Element;
            statement.parentNode?.removeChild(statement);
          },
        }),
      );
      assertRefused(outcome);
    });
  });
});
