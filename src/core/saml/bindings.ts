/**
 * The two SAML bindings browsers carry: HTTP-POST (base64 in a form field, SAML Bindings 3.5.4) and
 * HTTP-Redirect (raw DEFLATE + base64 in a query parameter, SAML Bindings 3.4.4.1).
 *
 * Refusals are thrown as {@link XmlSafetyError} (an AppError) with SP_PAYLOAD_MISSING,
 * SP_PAYLOAD_NOT_BASE64, SP_PAYLOAD_NOT_UTF8, SP_PAYLOAD_TOO_LARGE or SAML_PAYLOAD_NOT_DEFLATE, so a
 * caller handles binding and XML refusals with one `catch`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { XmlSafetyError } from './xml.js';

const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /[ \t\r\n]+/g;

/**
 * Strict base64 decoding: whitespace (line breaks some IdPs insert) is ignored, any other stray
 * character is refused rather than skipped as Buffer.from(…, 'base64') would.
 */
function decodeBase64Strictly(value: string, maxBytes: number): Buffer {
  // Refuse absurd input before copying it: base64 is 4/3 of the bytes, plus generous room for line breaks.
  if (value.length > maxBytes * 2 + 1024) throw new XmlSafetyError('SP_PAYLOAD_TOO_LARGE', undefined, { maxBytes });
  const compact = value.replace(WHITESPACE, '');
  if (compact === '') throw new XmlSafetyError('SP_PAYLOAD_MISSING');
  if (compact.length % 4 !== 0 || !BASE64_BODY.test(compact)) throw new XmlSafetyError('SP_PAYLOAD_NOT_BASE64');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const decodedLength = (compact.length / 4) * 3 - padding;
  if (decodedLength > maxBytes) throw new XmlSafetyError('SP_PAYLOAD_TOO_LARGE', undefined, { maxBytes });
  return Buffer.from(compact, 'base64');
}

// A non-streaming decode() starts from a clean state every call, so one decoder serves every message.
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 or a refusal; a BOM is kept so that the XML layer can report it. */
function decodeUtf8Strictly(bytes: Uint8Array): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    throw new XmlSafetyError('SP_PAYLOAD_NOT_UTF8');
  }
}

/**
 * Decodes an HTTP-POST binding field (SAMLResponse / SAMLRequest) to XML text (SAML Bindings 3.5.4):
 * strict base64, at most `maxBytes` decoded bytes, valid UTF-8.
 */
export function decodePostBinding(value: string, maxBytes: number): string {
  return decodeUtf8Strictly(decodeBase64Strictly(value, maxBytes));
}

/** Encodes XML for an HTTP-POST binding form field: UTF-8 then base64, no line breaks (SAML Bindings 3.5.4). */
export function encodePostBinding(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/**
 * Encodes XML for the HTTP-Redirect binding: raw DEFLATE (RFC 1951) then base64 (SAML Bindings
 * 3.4.4.1). The caller URL-encodes the result when it builds the query string.
 */
export function encodeRedirectBinding(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

/**
 * Decodes an HTTP-Redirect binding parameter (already URL-decoded) to XML text (SAML Bindings
 * 3.4.4.1). Inflation stops at `maxBytes` of output, so a small deflate bomb cannot fill memory.
 */
export function decodeRedirectBinding(value: string, maxBytes: number): string {
  // The compressed form is never larger than the output limit for real messages.
  const compressed = decodeBase64Strictly(value, maxBytes);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new XmlSafetyError('SP_PAYLOAD_TOO_LARGE', undefined, { maxBytes });
    }
    throw new XmlSafetyError('SAML_PAYLOAD_NOT_DEFLATE');
  }
  return decodeUtf8Strictly(inflated);
}
