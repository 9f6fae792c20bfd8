import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { equalsAsciiCaseInsensitive, foldAsciiCase, upperAsciiCase } from '../../../src/core/saml/ascii-case.js';

const KELVIN = '\u212A';
const LONG_S = '\u017F';
const DOTLESS_I = '\u0131';
const DOTTED_CAPITAL_I = '\u0130';

describe('ASCII-only case folding', () => {
  test('folds A-Z and nothing else', () => {
    assert.equal(foldAsciiCase('B.Simon@CONTOSO.com'), 'b.simon@contoso.com');
    assert.equal(foldAsciiCase('ÄÖÜ@Straße.DE'), 'ÄÖÜ@straße.de');
    assert.equal(upperAsciiCase('cuk12a34'), 'CUK12A34');
    assert.equal(upperAsciiCase(`cu${LONG_S}12`), `CU${LONG_S}12`);
  });

  test('look-alikes that Unicode folds onto ASCII letters stay themselves', () => {
    // Each of these compares equal to an ASCII address under toLowerCase, toUpperCase or NFKC.
    assert.equal(`${KELVIN}ate`.toLowerCase(), 'kate');
    assert.equal(`${LONG_S}am`.toUpperCase(), 'SAM');
    assert.equal(`adm${DOTLESS_I}n`.toUpperCase(), 'ADMIN');
    assert.equal(`${KELVIN}ate`.normalize('NFKC'), 'Kate');
    for (const [lookAlike, ascii] of [
      [`${KELVIN}ate@contoso.com`, 'kate@contoso.com'],
      [`${LONG_S}am@contoso.com`, 'sam@contoso.com'],
      [`adm${DOTLESS_I}n@contoso.com`, 'admin@contoso.com'],
      [`${DOTTED_CAPITAL_I}nfo@contoso.com`, 'info@contoso.com'],
    ]) {
      assert.equal(foldAsciiCase(lookAlike) === foldAsciiCase(ascii), false, lookAlike);
      assert.equal(equalsAsciiCaseInsensitive(lookAlike, ascii), false, lookAlike);
      assert.equal(equalsAsciiCaseInsensitive(lookAlike, upperAsciiCase(ascii)), false, lookAlike);
    }
  });

  test('keeps the length and agrees with toLowerCase on ASCII text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        assert.equal(foldAsciiCase(value).length, value.length);
        assert.equal(upperAsciiCase(value).length, value.length);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (value) => {
        assert.equal(foldAsciiCase(value), value.toLowerCase());
        assert.equal(upperAsciiCase(value), value.toUpperCase());
      }),
    );
  });

  test('equalsAsciiCaseInsensitive is the equality of the folded strings', () => {
    const letters = fc.constantFrom('a', 'A', 'k', 'K', KELVIN, 's', 'S', LONG_S, 'i', 'I', DOTLESS_I, '@', '.');
    fc.assert(
      fc.property(fc.string({ unit: letters, maxLength: 8 }), fc.string({ unit: letters, maxLength: 8 }), (a, b) => {
        assert.equal(equalsAsciiCaseInsensitive(a, b), foldAsciiCase(a) === foldAsciiCase(b));
      }),
    );
  });
});
