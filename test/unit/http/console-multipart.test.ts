import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { parseMultipartForm, readBoundary } from '../../../src/http/idp/console-multipart.js';

const B = 'XyZ123';

function part(name: string, value: string, filename?: string): string {
  const disposition = `form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}`;
  return `--${B}\r\nContent-Disposition: ${disposition}\r\n${filename === undefined ? '' : 'Content-Type: text/xml\r\n'}\r\n${value}\r\n`;
}

function refusedWith(code: string) {
  return (err: unknown) => err instanceof AppError && err.code === code;
}

describe('console multipart/form-data parse', () => {
  test('the boundary comes from the Content-Type, quoted or not, and must be a legal one', () => {
    assert.equal(readBoundary('multipart/form-data; boundary=----abc123'), '----abc123');
    assert.equal(readBoundary('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b');
    for (const bad of [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      `multipart/form-data; boundary=${'a'.repeat(71)}`,
      'multipart/form-data; boundary="a\u00e9"',
    ]) {
      assert.equal(readBoundary(bad), null, bad);
    }
  });

  test('text fields (repeated ones as arrays) and one file, its bytes kept as sent', () => {
    const body = Buffer.from(
      `${part('_csrf', 't')}${part('identifier', 'urn:a')}${part('identifier', 'urn:b')}${part('metadataFile', '<x>\r\n</x>', 'sp.xml')}--${B}--\r\n`,
    );
    const { fields, files } = parseMultipartForm(body, B);
    assert.deepEqual(fields, { _csrf: 't', identifier: ['urn:a', 'urn:b'] });
    assert.equal(files.get('metadataFile')?.filename, 'sp.xml');
    assert.equal(files.get('metadataFile')?.bytes.toString('utf8'), '<x>\r\n</x>');
  });

  test('an empty file input is no file; a __proto__ field is an ordinary field', () => {
    const body = Buffer.from(`${part('metadataFile', '', '')}${part('__proto__', 'x')}--${B}--`);
    const { fields, files } = parseMultipartForm(body, B);
    assert.equal(files.size, 0);
    assert.equal(Object.getPrototypeOf(fields), Object.prototype);
    assert.equal(Object.hasOwn(fields, '__proto__'), true);
  });

  test('broken bodies are VALIDATION_FAILED, too many parts or files PAYLOAD_TOO_LARGE', () => {
    for (const bad of [
      'no boundary here',
      `--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nnever closed`,
      `--${B}\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--${B}--`,
      `--${B}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${B}--`,
      `--${B}\r\n${'X-Long: '.padEnd(5000, 'a')}\r\n\r\nx\r\n--${B}--`,
      `--${B}junk`,
    ]) {
      assert.throws(() => parseMultipartForm(Buffer.from(bad), B), refusedWith('VALIDATION_FAILED'), bad.slice(0, 40));
    }
    const many = `${Array.from({ length: 501 }, (_, i) => part(`f${i}`, 'x')).join('')}--${B}--`;
    assert.throws(() => parseMultipartForm(Buffer.from(many), B), refusedWith('PAYLOAD_TOO_LARGE'));
    const twice = `${part('metadataFile', 'a', 'a.xml')}${part('metadataFile', 'b', 'b.xml')}--${B}--`;
    assert.throws(() => parseMultipartForm(Buffer.from(twice), B), refusedWith('PAYLOAD_TOO_LARGE'));
  });
});
