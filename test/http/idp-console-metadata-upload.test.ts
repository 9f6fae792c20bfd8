/**
 * Basic SAML Configuration › "Upload metadata file": Mimecast's own SP metadata fills Identifier and
 * Reply URL for review (nothing saved until Save); a bad file is refused beside the upload field with
 * the form as typed, never a 5xx and never a change to the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createMimecastApp } from '../../src/core/idp/admin.js';
import { ConsoleAgent, readFieldErrors, readInputValues } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function buildSpMetadata(acs: string, extra = ''): string {
  return `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="${MD}" entityID="https://eu-api.mimecast.com/sso/CUK55X66"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${acs}</md:SPSSODescriptor>${extra}</md:EntityDescriptor>`;
}

describe('mock Entra console: Upload metadata file', () => {
  let idp: TestIdp;
  let sp: TestSp;
  let c: ConsoleAgent;
  let appBase: string;
  let spMetadata: string;
  let token: string;

  before(async () => {
    idp = await createTestIdp();
    sp = createTestSp();
    await sp.seedAccount({ code: 'CUK98Z76', domains: ['fabrikam.com'] });
    const res = await request(sp.app).get('/sso/CUK98Z76/metadata');
    assert.equal(res.status, 200);
    spMetadata = res.text;
    const appId = (await createMimecastApp(idp.ctx, idp.tenantId, { displayName: 'Upload target' })).appId;
    appBase = `/admin/${idp.tenantId}/apps/${appId}`;
    c = new ConsoleAgent(idp.app);
    const page = await c.open(`${appBase}/sso/saml/basic`);
    token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  });
  after(async () => {
    await idp.close();
    await sp.close();
  });

  /** Posts the Basic SAML form as multipart with a file, as the "Add" button does. */
  function upload(file: string | Buffer | null, fields: Record<string, string | string[]> = {}, csrf = token) {
    const req = c.agent.post(`${appBase}/sso/saml/basic/upload`).field('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) req.field(name, v);
    if (file !== null)
      req.attach('metadataFile', Buffer.isBuffer(file) ? file : Buffer.from(file, 'utf8'), {
        filename: 'sp-metadata.xml',
        contentType: 'text/xml',
      });
    return req;
  }

  async function readStoredApp() {
    return (await request(idp.app).get(`/api/tenants/${idp.tenantId}/apps/${appBase.split('/').pop()}`)).body;
  }

  test("Mimecast's SP metadata fills Identifier and Reply URL, keeps the other fields, and saves nothing", async () => {
    const res = await upload(spMetadata, { basicForm: '1', identifier: '', replyUrl: '', relayState: '/portal', action: 'upload' });
    assert.equal(res.status, 200);
    assert.match(res.text, /data-notice="metadata-uploaded"/);
    assert.deepEqual(readInputValues(res.text, 'identifier'), ['https://eu-api.mimecast.com/sso/CUK98Z76']);
    assert.deepEqual(readInputValues(res.text, 'replyUrl'), ['http://sp.test/login/saml']);
    assert.match(res.text, /id="relayState" name="relayState" type="text" value="\/portal"/);
    assert.deepEqual((await readStoredApp()).identifiers, [], 'nothing is saved until Save');

    // Save still applies Entra's rules: this test SP's http:// ACS is not loopback, so the admin fixes it.
    const fields = { basicForm: '1', identifier: readInputValues(res.text, 'identifier'), action: 'save' };
    const refused = await c.submit(`${appBase}/sso/saml/basic`, { ...fields, replyUrl: readInputValues(res.text, 'replyUrl') });
    assert.equal(refused.status, 400);
    assert.deepEqual(readFieldErrors(refused.text), [{ field: 'reply-url-0', code: 'insecure-scheme' }]);
    const saved = await c.submit(`${appBase}/sso/saml/basic`, { ...fields, replyUrl: 'https://sp.test/login/saml' });
    assert.equal(saved.status, 303);
    assert.deepEqual((await readStoredApp()).identifiers, ['https://eu-api.mimecast.com/sso/CUK98Z76']);
  });

  test('rows already typed are kept; the uploaded values are added and become the defaults', async () => {
    const acs = `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://x.test/redirect" index="0"/><md:AssertionConsumerService Binding="${POST}" Location="https://sp.example/second" index="2"/><md:AssertionConsumerService Binding="${POST}" Location="https://sp.example/default" index="5" isDefault="true"/>`;
    const res = await upload(buildSpMetadata(acs), {
      basicForm: '1',
      identifier: ['urn:kept', ''],
      replyUrl: 'https://kept.example/acs',
      action: 'upload',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(readInputValues(res.text, 'identifier'), ['urn:kept', 'https://eu-api.mimecast.com/sso/CUK55X66']);
    assert.match(res.text, /name="defaultIdentifier" value="1" checked/);
    assert.deepEqual(readInputValues(res.text, 'replyUrl'), [
      'https://kept.example/acs',
      'https://sp.example/default',
      'https://sp.example/second',
    ]);
    assert.match(res.text, /name="defaultReplyUrl" value="1" checked/);
  });

  test('from the set-up page (no form fields), the saved values are the base', async () => {
    const setup = await c.open(`${appBase}/sso/saml`);
    assert.match(setup.text, /<form method="POST" action="[^"]+\/sso\/saml\/basic\/upload" enctype="multipart\/form-data"/);
    const res = await upload(
      buildSpMetadata(`<md:AssertionConsumerService Binding="${POST}" Location="https://sp.example/other" index="0"/>`),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(readInputValues(res.text, 'identifier'), [
      'https://eu-api.mimecast.com/sso/CUK98Z76',
      'https://eu-api.mimecast.com/sso/CUK55X66',
    ]);
  });

  test('bad files are refused beside the upload field with the form intact, the app unchanged', async () => {
    const before = await readStoredApp();
    const cases: [string | Buffer | null, string][] = [
      [null, 'no-file'],
      ['', 'no-file'],
      ['not xml at all', 'not-metadata'],
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', 'not-metadata'],
      ['<html><body>Sign in</body></html>', 'not-metadata'],
      [
        `<md:EntityDescriptor xmlns:md="${MD}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`,
        'not-metadata',
      ],
      [Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x78, 0x00]), 'not-metadata'],
      [`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, 'not-metadata'],
      [
        `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://sts.windows.net/x/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`,
        'no-sp-descriptor',
      ],
      [
        buildSpMetadata(
          `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/art" index="0"/>`,
        ),
        'no-post-acs',
      ],
      [buildSpMetadata(`<md:AssertionConsumerService Binding="${POST}" Location="javascript:alert(1)" index="0"/>`), 'no-post-acs'],
      [`<x>${' '.repeat(200 * 1024)}</x>`, 'file-too-large'],
    ];
    for (const [file, code] of cases) {
      const res = await upload(file, { basicForm: '1', identifier: 'urn:typed', replyUrl: 'https://typed.example/acs', action: 'upload' });
      const label = typeof file === 'string' ? file.slice(0, 60) : String(file);
      assert.equal(res.status, 400, label);
      assert.deepEqual(readFieldErrors(res.text), [{ field: 'metadataFile', code }], label);
      assert.deepEqual(readInputValues(res.text, 'identifier'), ['urn:typed'], label);
      assert.deepEqual(readInputValues(res.text, 'replyUrl'), ['https://typed.example/acs'], label);
    }
    assert.deepEqual(await readStoredApp(), before);
  });

  test('the upload needs the CSRF token; broken or oversized multipart bodies are 4xx, never 5xx', async () => {
    const forged = await upload(spMetadata, {}, 'not-the-token');
    assert.equal(forged.status, 403);
    const noToken = await c.agent.post(`${appBase}/sso/saml/basic/upload`).attach('metadataFile', Buffer.from(spMetadata), 'sp.xml');
    assert.equal(noToken.status, 403);
    const noBoundary = await c.agent.post(`${appBase}/sso/saml/basic/upload`).set('content-type', 'multipart/form-data').send('x');
    assert.equal(noBoundary.status, 400);
    const broken = await c.agent
      .post(`${appBase}/sso/saml/basic/upload`)
      .set('content-type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc');
    assert.equal(broken.status, 400);
    const huge = await upload(Buffer.alloc(600 * 1024, 0x20));
    assert.equal(huge.status, 413);
  });
});
