import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { extractResponses, readCheckInput } from '../../../src/cli/capture-input.js';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../_fixtures/captures/${name}`, import.meta.url), 'utf8');
const ACS = 'http://localhost:3000/login/saml';
const B64 = Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a+b/c"/>').toString('base64');

function codeOf(fn: () => unknown): ErrorCode | null {
  try {
    fn();
    return null;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error.code;
  }
}

const decodes = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

describe('check reads HAR exports', () => {
  test('every POSTed SAMLResponse, with its URL and when it was sent; SAMLRequests and GETs are not responses', () => {
    const found = extractResponses(fixture('sign-in.har'));
    assert.deepEqual(
      found.map((r) => [r.source, r.url, r.time, r.timeKind]),
      [
        ['har', ACS, '2026-11-30T10:00:02.481Z', 'sent'],
        ['har', ACS, '2026-11-30T10:05:01.112Z', 'sent'],
      ],
    );
    for (const r of found) assert.match(decodes(r.samlResponse), /^<samlp:Response /);
  });

  test('params kept URL-encoded or decoded, and the raw body when there are no params', () => {
    const entry = (postData: unknown) =>
      JSON.stringify({
        log: {
          version: '1.2',
          entries: [{ startedDateTime: '2026-11-30T10:00:00.000Z', request: { method: 'POST', url: ACS, postData } }],
        },
      });
    const encoded = extractResponses(
      entry({ mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'SAMLResponse', value: encodeURIComponent(B64) }] }),
    );
    const decoded = extractResponses(
      entry({ mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'SAMLResponse', value: B64 }] }),
    );
    const text = extractResponses(
      entry({ mimeType: 'application/x-www-form-urlencoded', text: `RelayState=%2Fportal&SAMLResponse=${encodeURIComponent(B64)}` }),
    );
    assert.deepEqual([encoded[0]?.samlResponse, decoded[0]?.samlResponse, text[0]?.samlResponse], [B64, B64, B64]);
  });

  test('a HAR without any SAMLResponse is CAPTURE_HAS_NO_RESPONSE', () => {
    const har = JSON.stringify({
      log: { version: '1.2', entries: [{ startedDateTime: '2026-11-30T10:00:00.000Z', request: { method: 'GET', url: `${ACS}?x=1` } }] },
    });
    assert.equal(
      codeOf(() => extractResponses(har)),
      'CAPTURE_HAS_NO_RESPONSE',
    );
  });
});

describe('check reads SAML-tracer exports', () => {
  test('the POSTed SAMLResponse with its URL; the time is the export time, marked so', () => {
    const found = extractResponses(fixture('saml-tracer-export.json'));
    assert.deepEqual(
      found.map((r) => [r.source, r.url, r.time, r.timeKind]),
      [['saml-tracer', ACS, '2026-11-30T11:24:37.918Z', 'exported']],
    );
    assert.match(decodes(found[0]?.samlResponse ?? ''), /^<samlp:Response /);
  });

  test('an export with hashed values: the message comes from the decoded `saml` field, unchanged', () => {
    const plain = extractResponses(fixture('saml-tracer-export.json'));
    const hashed = extractResponses(fixture('saml-tracer-export-hashed.json'));
    assert.equal(hashed.length, 1);
    assert.equal(decodes(hashed[0]?.samlResponse ?? ''), decodes(plain[0]?.samlResponse ?? ''));
  });
});

describe('check reads one response given directly', () => {
  test('XML (with or without a BOM), a form body, base64', () => {
    const xml = decodes(B64);
    assert.deepEqual(
      [xml, `\uFEFF${xml}`, `SAMLResponse=${encodeURIComponent(B64)}&RelayState=%2F`, B64].map((input) => {
        const [one] = extractResponses(input);
        return [one?.source, one?.samlResponse, one?.url];
      }),
      [
        ['xml', B64, null],
        ['xml', B64, null],
        ['form', B64, null],
        ['base64', B64, null],
      ],
    );
  });

  test('nothing at all, JSON that does not parse, and JSON of another shape are refused with their codes', () => {
    assert.equal(
      codeOf(() => extractResponses('  \n')),
      'CAPTURE_HAS_NO_RESPONSE',
    );
    assert.equal(
      codeOf(() => extractResponses('{"log": ')),
      'INPUT_UNREADABLE',
    );
    assert.equal(
      codeOf(() => extractResponses('{"entries": []}')),
      'INPUT_UNREADABLE',
    );
  });
});

describe('the check argument', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-capture-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const noStdin = () => assert.fail('stdin read');

  test('a path that does not exist is INPUT_NOT_FOUND, never read as base64', () => {
    assert.equal(
      codeOf(() => readCheckInput(join(dir, 'capture.har'), noStdin)),
      'INPUT_NOT_FOUND',
    );
    assert.equal(
      codeOf(() => readCheckInput('capture', noStdin)),
      'INPUT_NOT_FOUND',
    );
  });

  test('a folder is INPUT_UNREADABLE', () => {
    assert.equal(
      codeOf(() => readCheckInput(dir, noStdin)),
      'INPUT_UNREADABLE',
    );
  });

  test('- reads standard input; XML, a form body and long base64 are taken as they are', () => {
    assert.equal(
      readCheckInput('-', () => 'from stdin'),
      'from stdin',
    );
    for (const inline of [decodes(B64), `SAMLResponse=${B64}`, B64]) assert.equal(readCheckInput(inline, noStdin), inline);
  });
});
