import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BasicSamlForm } from '../../../src/core/idp/basic-saml.js';
import { applySpMetadataToForm, readSpMetadataFile, readSpMetadataUpload } from '../../../src/core/idp/sp-metadata-upload.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const SP = (id: string, acs: string) =>
  `<md:EntityDescriptor xmlns:md="${MD}" entityID="${id}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${acs}</md:SPSSODescriptor></md:EntityDescriptor>`;
const ACS = (location: string, attrs = '') => `<md:AssertionConsumerService Binding="${POST}" Location="${location}"${attrs}/>`;

const BLANK: BasicSamlForm = {
  identifiers: [''],
  defaultIdentifier: 0,
  replyUrls: [''],
  defaultReplyUrl: 0,
  signOnUrl: 'https://sp.example/start',
  relayState: '',
  logoutUrl: '',
};

describe('Upload metadata file: reading SP metadata', () => {
  test('the default ACS first (isDefault, then index, then document order), duplicates once', () => {
    const out = readSpMetadataFile(
      SP(
        'urn:sp',
        `${ACS('https://c', ' index="3"')}${ACS('https://b', ' index="1"')}${ACS('https://a', ' index="9" isDefault="true"')}${ACS('https://b', ' index="4"')}${ACS('https://d')}`,
      ),
    );
    assert.equal(out.ok, true);
    if (out.ok) assert.deepEqual(out.value, { entityId: 'urn:sp', replyUrls: ['https://a', 'https://b', 'https://c', 'https://d'] });
  });

  test('a BOM is fine; an aggregate with one SP is read, with two it is refused', () => {
    const bom = readSpMetadataUpload(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(SP('urn:sp', ACS('https://a')))]));
    assert.equal(bom.ok, true);
    const idp = `<md:EntityDescriptor entityID="urn:idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    const inner = (id: string) => SP(id, ACS('https://a')).replace(` xmlns:md="${MD}"`, '');
    const one = readSpMetadataFile(`<md:EntitiesDescriptor xmlns:md="${MD}">${idp}${inner('urn:one')}</md:EntitiesDescriptor>`);
    assert.equal(one.ok && one.value.entityId, 'urn:one');
    const two = readSpMetadataFile(
      `<md:EntitiesDescriptor xmlns:md="${MD}">${inner('urn:one')}${inner('urn:two')}</md:EntitiesDescriptor>`,
    );
    assert.equal(!two.ok && two.error.code, 'not-metadata');
  });

  test('a SAML 1.1-only SPSSODescriptor is no SAML 2.0 service provider', () => {
    const out = readSpMetadataFile(
      SP('urn:sp', ACS('https://a')).replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:1.1:protocol'),
    );
    assert.equal(!out.ok && out.error.code, 'no-sp-descriptor');
  });

  test('filling the form: empty rows dropped, an Identifier already there (ASCII case aside) reused, defaults set, the rest kept', () => {
    const filled = applySpMetadataToForm(
      { ...BLANK, identifiers: ['URN:SP', 'urn:other'], defaultIdentifier: 1 },
      { entityId: 'urn:sp', replyUrls: ['https://a', 'https://b'] },
    );
    assert.deepEqual(filled.identifiers, ['URN:SP', 'urn:other']);
    assert.equal(filled.defaultIdentifier, 0);
    assert.deepEqual(filled.replyUrls, ['https://a', 'https://b']);
    assert.equal(filled.defaultReplyUrl, 0);
    assert.equal(filled.signOnUrl, 'https://sp.example/start');
  });
});
