import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Page, readForms } from '../../../src/testing/browser.js';

const page = (text: string): Page => ({ url: 'https://sp.test/login', status: 200, headers: new Headers(), text });

describe('readForms', () => {
  test('reads action, method, hidden and pre-filled fields, submit buttons left out', () => {
    const forms = readForms(
      page(
        '<FORM method="post" action="/acs" name="f"><input type="hidden" name="SAMLResponse" value="abc"><INPUT name="x"><input type="submit" name="go"></FORM>',
      ),
    );
    assert.deepEqual(forms, [
      { action: 'https://sp.test/acs', method: 'POST', name: 'f', id: null, fields: { SAMLResponse: 'abc', x: '' } },
    ]);
  });

  test('a page is read once, yet each call gets its own copies, and a changed page is read again', () => {
    const p = page('<form action="/a"><input name="a" value="1"></form>');
    const first = readForms(p);
    (first[0] as { fields: Record<string, string> }).fields.a = 'changed';
    assert.equal(readForms(p)[0]?.fields.a, '1');
    p.text = '<form action="/b"><input name="b" value="2"></form>';
    assert.deepEqual(readForms(p)[0]?.fields, { b: '2' });
    p.url = 'https://other.test/';
    assert.equal(readForms(p)[0]?.action, 'https://other.test/b');
  });
});
