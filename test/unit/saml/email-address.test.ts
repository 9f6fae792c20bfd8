import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isDomainName, isEmailAddress, isWhiteSpace, MAX_EMAIL_LENGTH, readEmailProblem } from '../../../src/core/saml/email-address.js';

// The patterns the scanners replaced. They are quadratic, so they only ever see short strings here.
const OLD_NAMEID = /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/;
const OLD_DIRECTORY = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const OLD_CONSOLE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const OLD_DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// Characters that matter to the rules, plus a few ordinary and non-ASCII ones (no control characters:
// the scanner refuses those on purpose, the old patterns let them through).
const addressChars = fc.constantFrom(
  'a',
  'B',
  '7',
  '@',
  '.',
  '-',
  ' ',
  '\u00a0',
  '\u2028',
  '<',
  '>',
  '(',
  '"',
  "'",
  ',',
  ';',
  ':',
  'é',
  '\u212A',
);
const domainChars = fc.constantFrom('a', 'z', '0', '9', '-', '.', 'Q', '_', 'é');

describe('email address scanner', () => {
  test('answers as the old patterns did on short input', () => {
    fc.assert(
      fc.property(fc.string({ unit: addressChars, maxLength: 24 }), (value) => {
        assert.equal(isEmailAddress(value, { forbidden: `<>()"',;:` }), OLD_NAMEID.test(value), JSON.stringify(value));
        assert.equal(isEmailAddress(value, { forbidden: '<>"' }), OLD_DIRECTORY.test(value), JSON.stringify(value));
        assert.equal(isEmailAddress(value), OLD_CONSOLE.test(value), JSON.stringify(value));
      }),
      { numRuns: 3000 },
    );
  });

  test('says why a value is refused', () => {
    assert.equal(readEmailProblem('b.simon@contoso.com'), null);
    assert.equal(readEmailProblem(''), 'empty');
    assert.equal(readEmailProblem('b.simon'), 'no-at');
    assert.equal(readEmailProblem('a@b@contoso.com'), 'several-at');
    assert.equal(readEmailProblem('@contoso.com'), 'empty-local-part');
    assert.equal(readEmailProblem('b.simon@'), 'empty-domain');
    assert.equal(readEmailProblem('b.simon@contoso'), 'no-dot-in-domain');
    assert.equal(readEmailProblem('b.simon@.com'), 'no-dot-in-domain');
    assert.equal(readEmailProblem('b.simon@contoso.'), 'no-dot-in-domain');
    assert.equal(readEmailProblem('b.simon@contoso', { domainDot: false }), null);
    assert.equal(readEmailProblem('b simon@contoso.com'), 'forbidden-character');
    assert.equal(readEmailProblem('b.simon@contoso.com\u0000'), 'forbidden-character');
    assert.equal(readEmailProblem('<b.simon@contoso.com>', { forbidden: '<>' }), 'forbidden-character');
  });

  test('bounds the address at 254 characters and the local part at 64', () => {
    const local64 = 'a'.repeat(64);
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(57)}.com`;
    assert.equal(`${local64}@${domain}`.length, MAX_EMAIL_LENGTH);
    assert.equal(readEmailProblem(`${local64}@${domain}`), null);
    assert.equal(readEmailProblem(`${local64}@${domain}x`), 'too-long');
    assert.equal(readEmailProblem(`${local64}a@contoso.com`), 'local-part-too-long');
  });

  test('white space is what String.prototype.trim removes', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      assert.equal(isWhiteSpace(code), char.trim() === '', `U+${code.toString(16)}`);
    }
  });
});

describe('domain name scanner', () => {
  test('answers as the old DNS pattern did (lower case input)', () => {
    fc.assert(
      fc.property(fc.string({ unit: domainChars, maxLength: 20 }), (value) => {
        const lower = value.replace(/Q/g, 'q');
        assert.equal(isDomainName(lower), OLD_DNS_NAME.test(lower), JSON.stringify(lower));
      }),
      { numRuns: 3000 },
    );
  });

  test('labels of 63, names of 253, either case, no trailing dot', () => {
    const label = 'a'.repeat(63);
    assert.equal(isDomainName(`${label}.com`), true);
    assert.equal(isDomainName(`${label}a.com`), false);
    const long = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    assert.equal(long.length, 253);
    assert.equal(isDomainName(long), true);
    assert.equal(isDomainName(`${long}c`), false);
    assert.equal(isDomainName('Contoso.COM'), true);
    assert.equal(isDomainName('contoso.com.'), false);
    assert.equal(isDomainName('contoso'), false);
    assert.equal(isDomainName('contoso.123'), false);
    assert.equal(isDomainName('-contoso.com'), false);
    assert.equal(isDomainName('fabri\u212Aam.com'), false);
  });
});
