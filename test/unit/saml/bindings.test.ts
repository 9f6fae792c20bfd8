import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateRawSync, deflateSync } from 'node:zlib';
import type { ErrorCode } from '../../../src/core/errors.js';
import { decodePostBinding, decodeRedirectBinding, encodePostBinding, encodeRedirectBinding } from '../../../src/core/saml/bindings.js';
import { XmlSafetyError } from '../../../src/core/saml/xml.js';

const XML = '\uFEFF<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1">Zoë — ünïcødé ✓</samlp:Response>';
const LIMIT = 64 * 1024;

function assertRefused(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof XmlSafetyError && err.code === code);
}

describe('HTTP-POST binding', () => {
  test('round-trips UTF-8 text and keeps the BOM for the XML layer to report', () => {
    assert.equal(decodePostBinding(encodePostBinding(XML), LIMIT), XML);
  });

  test('accepts base64 broken into lines', () => {
    const wrapped = (encodePostBinding(XML).match(/.{1,76}/g) ?? []).join('\r\n');
    assert.equal(decodePostBinding(`  ${wrapped}\n`, LIMIT), XML);
  });

  test('refuses characters outside the base64 alphabet', () => {
    const good = encodePostBinding(XML);
    assertRefused(() => decodePostBinding(`${good.slice(0, 8)}*${good.slice(9)}`, LIMIT), 'SP_PAYLOAD_NOT_BASE64');
    assertRefused(
      () => decodePostBinding(good.replaceAll('+', '-').replaceAll('/', '_').replace(/^./, '-'), LIMIT),
      'SP_PAYLOAD_NOT_BASE64',
    );
    assertRefused(() => decodePostBinding('<samlp:Response/>', LIMIT), 'SP_PAYLOAD_NOT_BASE64');
  });

  test('refuses a wrong length and padding in the middle', () => {
    assertRefused(() => decodePostBinding('QUJD=', LIMIT), 'SP_PAYLOAD_NOT_BASE64');
    assertRefused(() => decodePostBinding('QU=JDRA==', LIMIT), 'SP_PAYLOAD_NOT_BASE64');
  });

  test('refuses an empty value as missing', () => {
    assertRefused(() => decodePostBinding(' \n', LIMIT), 'SP_PAYLOAD_MISSING');
  });

  test('refuses bytes that are not UTF-8', () => {
    const latin1 = Buffer.from([0x3c, 0x72, 0x3e, 0xe9, 0xff, 0x3c, 0x2f, 0x72, 0x3e]).toString('base64');
    assertRefused(() => decodePostBinding(latin1, LIMIT), 'SP_PAYLOAD_NOT_UTF8');
  });

  test('a refused message leaves nothing behind for the next one (one decoder serves every message)', () => {
    // Ends inside a three-byte sequence (E2 82 …); a decoder that kept it would read the next message's
    // leading continuation byte AC as the euro sign's last byte and accept that message.
    const truncated = Buffer.from([0x3c, 0x72, 0x3e, 0xe2, 0x82]).toString('base64');
    assertRefused(() => decodePostBinding(truncated, LIMIT), 'SP_PAYLOAD_NOT_UTF8');
    assertRefused(() => decodePostBinding(Buffer.from([0xac, 0x3c, 0x72, 0x3e]).toString('base64'), LIMIT), 'SP_PAYLOAD_NOT_UTF8');
    assert.equal(decodePostBinding(encodePostBinding(XML), LIMIT), XML);
  });

  test('refuses more than maxBytes decoded', () => {
    const big = encodePostBinding(`<r>${'a'.repeat(2000)}</r>`);
    assertRefused(() => decodePostBinding(big, 1000), 'SP_PAYLOAD_TOO_LARGE');
    assert.equal(decodePostBinding(big, 2007).length, 2007);
  });
});

describe('HTTP-Redirect binding', () => {
  test('round-trips through raw DEFLATE', () => {
    const encoded = encodeRedirectBinding(XML);
    assert.equal(decodeRedirectBinding(encoded, LIMIT), XML);
    // Raw DEFLATE carries no zlib header (0x78).
    assert.notEqual(Buffer.from(encoded, 'base64')[0], 0x78);
  });

  test('caps inflation so a deflate bomb cannot fill memory', () => {
    const bomb = deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 0x41)).toString('base64');
    assert.ok(bomb.length < LIMIT, 'the bomb itself is small');
    assertRefused(() => decodeRedirectBinding(bomb, LIMIT), 'SP_PAYLOAD_TOO_LARGE');
  });

  test('refuses data that is not raw DEFLATE', () => {
    assertRefused(() => decodeRedirectBinding(Buffer.from('hello, not deflated').toString('base64'), LIMIT), 'SAML_PAYLOAD_NOT_DEFLATE');
    assertRefused(() => decodeRedirectBinding(deflateSync(Buffer.from(XML)).toString('base64'), LIMIT), 'SAML_PAYLOAD_NOT_DEFLATE');
  });

  test('refuses non-base64 and non-UTF-8 payloads', () => {
    assertRefused(() => decodeRedirectBinding('%%%', LIMIT), 'SP_PAYLOAD_NOT_BASE64');
    const latin1 = deflateRawSync(Buffer.from([0x3c, 0x72, 0x3e, 0xe9, 0x3c, 0x2f, 0x72, 0x3e])).toString('base64');
    assertRefused(() => decodeRedirectBinding(latin1, LIMIT), 'SP_PAYLOAD_NOT_UTF8');
  });
});
