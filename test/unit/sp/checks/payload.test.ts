import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ErrorCode } from '../../../../src/core/errors.js';
import { NS } from '../../../../src/core/saml/constants.js';
import { assertCheck, assertRefusedBy, assertSignedIn, post, withCore } from '../../../_helpers/check-assert.js';
import { toBase64 } from '../../../_helpers/idp-signer.js';
import type { TestSpCore } from '../../../_helpers/sp-core.js';

/** A refused payload leaves exactly one result, the payload check, and a stored failure trace. */
async function assertPayloadRefused(t: TestSpCore, samlResponse: string | undefined, code: ErrorCode): Promise<void> {
  const outcome = await post(t, samlResponse);
  assertRefusedBy(outcome, 'payload', code);
  assert.deepEqual(
    outcome.trace.checks.map((c) => c.id),
    ['payload'],
  );
  assert.equal(outcome.trace.summary.firstFailure, code);
  const stored = await t.stores.traces.get(outcome.trace.id);
  assert.equal(stored?.outcome, 'failure');
}

const xmlOf = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

describe('payload check', () => {
  test('a default Entra response decodes: payload passes and the sign-in succeeds', async () => {
    await withCore({}, async (t) => {
      const outcome = await post(t, t.respond());
      assertCheck(outcome, 'payload', 'pass');
      assertSignedIn(outcome);
    });
  });

  test('no SAMLResponse at all, empty or whitespace only is SP_PAYLOAD_MISSING', async () => {
    await withCore({}, async (t) => {
      await assertPayloadRefused(t, undefined, 'SP_PAYLOAD_MISSING');
      await assertPayloadRefused(t, '', 'SP_PAYLOAD_MISSING');
      await assertPayloadRefused(t, '  \r\n ', 'SP_PAYLOAD_MISSING');
    });
  });

  test('text that is not base64 is SP_PAYLOAD_NOT_BASE64', async () => {
    await withCore({}, async (t) => {
      await assertPayloadRefused(t, 'PHNhbWxwOlJlc3BvbnNl%%%', 'SP_PAYLOAD_NOT_BASE64');
      await assertPayloadRefused(t, 'abc', 'SP_PAYLOAD_NOT_BASE64');
      // Raw XML posted without encoding.
      await assertPayloadRefused(t, xmlOf(t.respond()), 'SP_PAYLOAD_NOT_BASE64');
    });
  });

  test('bytes that are not UTF-8 are SP_PAYLOAD_NOT_UTF8', async () => {
    await withCore({}, async (t) => {
      const bytes = Buffer.concat([Buffer.from('<samlp:Response>', 'utf8'), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]);
      await assertPayloadRefused(t, bytes.toString('base64'), 'SP_PAYLOAD_NOT_UTF8');
    });
  });

  test('XML that is not well-formed is SP_PAYLOAD_MALFORMED_XML', async () => {
    await withCore({}, async (t) => {
      await assertPayloadRefused(
        t,
        toBase64(`<samlp:Response xmlns:samlp="${NS.samlp}"><unclosed></samlp:Response>`),
        'SP_PAYLOAD_MALFORMED_XML',
      );
      await assertPayloadRefused(t, toBase64('just some text'), 'SP_PAYLOAD_MALFORMED_XML');
      // A signed response truncated in transit.
      const xml = xmlOf(t.respond());
      await assertPayloadRefused(t, toBase64(xml.slice(0, xml.length - 40)), 'SP_PAYLOAD_MALFORMED_XML');
    });
  });

  test('a DOCTYPE or entity declaration is SP_PAYLOAD_DTD, even in front of a genuine signed response', async () => {
    await withCore({}, async (t) => {
      const entity = `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="${NS.samlp}">&xxe;</samlp:Response>`;
      await assertPayloadRefused(t, toBase64(entity), 'SP_PAYLOAD_DTD');
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><samlp:Response xmlns:samlp="${NS.samlp}">&lol2;</samlp:Response>`;
      await assertPayloadRefused(t, toBase64(bomb), 'SP_PAYLOAD_DTD');
      const genuine = xmlOf(t.respond());
      await assertPayloadRefused(t, toBase64(`<!DOCTYPE Response>${genuine}`), 'SP_PAYLOAD_DTD');
    });
  });

  test('a root other than samlp:Response is SP_PAYLOAD_WRONG_ROOT', async () => {
    await withCore({}, async (t) => {
      const logout = `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" ID="_l1" Version="2.0" IssueInstant="2027-03-01T10:00:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
      await assertPayloadRefused(t, toBase64(logout), 'SP_PAYLOAD_WRONG_ROOT');
      const request = `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" ID="_r1" Version="2.0" IssueInstant="2027-03-01T10:00:00Z"/>`;
      await assertPayloadRefused(t, toBase64(request), 'SP_PAYLOAD_WRONG_ROOT');
      // The right local name in the wrong namespace (SAML 1.1's protocol).
      const saml11 = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" ResponseID="_x"/>';
      await assertPayloadRefused(t, toBase64(saml11), 'SP_PAYLOAD_WRONG_ROOT');
      // No namespace at all.
      await assertPayloadRefused(t, toBase64('<Response ID="_x"/>'), 'SP_PAYLOAD_WRONG_ROOT');
    });
  });

  test('a response larger than settings.maxSamlBytes is SP_PAYLOAD_TOO_LARGE', async () => {
    await withCore({ settings: { maxSamlBytes: 2048 } }, async (t) => {
      const response = t.respond();
      assert.ok(Buffer.from(response, 'base64').length > 2048);
      await assertPayloadRefused(t, response, 'SP_PAYLOAD_TOO_LARGE');
      // Far over the limit is refused before it is decoded.
      await assertPayloadRefused(t, 'QUFB'.repeat(10_000), 'SP_PAYLOAD_TOO_LARGE');
    });
  });
});
