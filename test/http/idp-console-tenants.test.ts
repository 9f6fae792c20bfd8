import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { selectActiveCertificate } from '../../src/core/idp/apps.js';
import { selectTenantSigningKey } from '../../src/core/idp/tenant-keys.js';
import { describeCertificate } from '../../src/core/saml/certs.js';
import { ConsoleAgent, readFieldErrors } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';
import { idp1 } from '../_helpers/test-keys.js';

const SEEDED_THUMBPRINT = describeCertificate(idp1.cert).thumbprint;

describe('mock Entra console: Manage tenants › Create a tenant', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;

  before(async () => {
    idp = await createTestIdp();
    c = new ConsoleAgent(idp.app);
  });
  after(() => idp.close());

  async function readTenantThumbprint(tenantId: string): Promise<string> {
    const signer = selectTenantSigningKey(await idp.ctx.stores.tenantKeys.list(tenantId));
    assert.ok(signer, 'the tenant has its keys from the start');
    return describeCertificate(signer.cert).thumbprint;
  }

  test('the list shows the seeded tenant; the home page links to it', async () => {
    const home = await c.open('/');
    assert.match(home.text, /<a href="\/admin\/tenants" id="manage-tenants">/);
    const list = await c.open('/admin/tenants');
    assert.match(list.text, new RegExp(`<tr data-tenant-id="${idp.tenantId}">`));
    assert.match(list.text, /<a class="button" href="\/admin\/tenants\/new" id="create-tenant">/);
  });

  test('refusals sit beside their fields, what was typed is kept, and nothing is stored', async () => {
    await c.open('/admin/tenants/new');
    const cases: [Record<string, string>, { field: string; code: string }[], number][] = [
      [{ initialDomain: '', primaryDomain: '' }, [{ field: 'initialDomain', code: 'required' }], 400],
      [
        { initialDomain: 'fab-rikam', primaryDomain: 'not a domain' },
        [
          { field: 'initialDomain', code: 'invalid-domain' },
          { field: 'primaryDomain', code: 'invalid-domain' },
        ],
        400,
      ],
      [
        { initialDomain: 'x'.repeat(28), primaryDomain: 'x.onmicrosoft.com' },
        [
          { field: 'initialDomain', code: 'too-long' },
          { field: 'primaryDomain', code: 'invalid-domain' },
        ],
        400,
      ],
      [
        { initialDomain: 'Contoso', primaryDomain: 'CONTOSO.com' },
        [
          { field: 'initialDomain', code: 'in-use' },
          { field: 'primaryDomain', code: 'in-use' },
        ],
        409,
      ],
    ];
    for (const [fields, errors, status] of cases) {
      const res = await c.submit('/admin/tenants/new', fields);
      assert.equal(res.status, status, JSON.stringify(fields));
      assert.deepEqual(readFieldErrors(res.text), errors, JSON.stringify(fields));
      assert.match(res.text, /data-error-count=/);
    }
    const kept = await c.submit('/admin/tenants/new', { initialDomain: 'fab rikam', primaryDomain: 'fabrikam.com' });
    assert.match(kept.text, /id="initialDomain" name="initialDomain" type="text" value="fab rikam"/);
    assert.match(kept.text, /id="primaryDomain" name="primaryDomain" type="text" value="fabrikam.com"/);
    assert.equal((await idp.ctx.stores.tenants.list()).length, 1);
  });

  test('Create makes the tenant with its own signing keys; two tenants never share one, nor the seeded key', async () => {
    const made = await c.submit('/admin/tenants/new', { initialDomain: 'Fabrikam', primaryDomain: 'Fabrikam.com' });
    assert.equal(made.status, 303);
    const tenantId = /created=([0-9a-f-]{36})$/.exec(made.headers.location ?? '')?.[1] ?? '';
    const fabrikam = await idp.ctx.stores.tenants.find(tenantId);
    assert.equal(fabrikam?.name, 'fabrikam.onmicrosoft.com');
    assert.deepEqual(fabrikam?.verifiedDomains, ['fabrikam.com']);
    const list = await c.open(made.headers.location ?? '');
    assert.match(list.text, new RegExp(`data-notice="created" data-tenant-id="${tenantId}"`));

    const second = await c.submit('/admin/tenants/new', { initialDomain: 'northwind.onmicrosoft.com', primaryDomain: '' });
    assert.equal(second.status, 303);
    const northwind = await idp.ctx.stores.tenants.find('northwind.onmicrosoft.com');
    assert.ok(northwind);
    assert.deepEqual(northwind.verifiedDomains, []);

    const viaApi = await request(idp.app)
      .post('/api/tenants')
      .send({ name: 'adatum.onmicrosoft.com', verifiedDomains: ['adatum.com'] });
    assert.equal(viaApi.status, 201);
    const prints = [tenantId, northwind.tenantId, viaApi.body.tenantId as string];
    const thumbprints = await Promise.all(prints.map(readTenantThumbprint));
    assert.equal(new Set([...thumbprints, SEEDED_THUMBPRINT]).size, 4, 'every tenant has keys of its own');
    assert.match((await c.open('/admin/tenants')).text, new RegExp(`<code data-field="thumbprint">${thumbprints[0]}</code>`));

    const domainTaken = await request(idp.app)
      .post('/api/tenants')
      .send({ name: 'other.onmicrosoft.com', verifiedDomains: ['fabrikam.com'] });
    assert.equal(domainTaken.status, 409);
    assert.equal(domainTaken.body.error, 'IDP_TENANT_EXISTS');
    assert.equal(await idp.ctx.stores.tenants.find('other.onmicrosoft.com'), null);
  });

  test('each new app gets its own signing certificate, from the console and the API alike', async () => {
    const seeded = await idp.ctx.stores.apps.get(idp.appId);
    assert.ok(seeded);
    assert.equal(
      describeCertificate(selectActiveCertificate(seeded).pem).thumbprint,
      SEEDED_THUMBPRINT,
      'the seeded app keeps the test key',
    );
    const fabrikam = await idp.ctx.stores.tenants.find('fabrikam.onmicrosoft.com');
    assert.ok(fabrikam);
    await c.open(`/admin/${fabrikam.tenantId}/enterprise-apps/gallery/mimecast`);
    const added = await c.submit(`/admin/${fabrikam.tenantId}/enterprise-apps`, { template: 'mimecast', displayName: 'Mimecast' });
    assert.equal(added.status, 303);
    const consoleApp = (await idp.ctx.stores.apps.list(fabrikam.tenantId))[0];
    assert.ok(consoleApp);
    const apiApp = await request(idp.app).post(`/api/tenants/${idp.tenantId}/apps`).send({ template: 'mimecast' });
    assert.equal(apiApp.status, 201);
    const apiPrint = (apiApp.body.certificates as { thumbprint: string }[])[0]?.thumbprint;
    const consoleCert = describeCertificate(selectActiveCertificate(consoleApp).pem);
    assert.equal(new Set([consoleCert.thumbprint, apiPrint, SEEDED_THUMBPRINT]).size, 3);
    assert.match(consoleCert.subject, /CN=Microsoft Azure Federated SSO Certificate/);
    assert.match(consoleCert.subject, /TEST ONLY/);
    const years = (Date.parse(consoleCert.notAfter) - Date.parse(consoleCert.notBefore)) / (365 * 24 * 3600 * 1000);
    assert.ok(Math.abs(years - 3) < 0.01, `valid for three years, got ${years}`);
  });
});
