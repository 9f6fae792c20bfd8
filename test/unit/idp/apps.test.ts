import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFrozenClock } from '../../../src/core/clock.js';
import { AppError } from '../../../src/core/errors.js';
import {
  activateAppCertificate,
  addAppCertificate,
  applyAppSettings,
  assertIdentifiersUnique,
  assignUser,
  buildMimecastApp,
  findAppByIdentifier,
  isUserAllowed,
  selectActiveCertificate,
  unassignUser,
} from '../../../src/core/idp/apps.js';
import { createSequentialIds } from '../../../src/core/ids.js';
import { NAMEID_FORMAT } from '../../../src/core/saml/constants.js';
import { idp1, idp2 } from '../../_helpers/test-keys.js';

const deps = { ids: createSequentialIds('app'), clock: createFrozenClock('2027-03-01T10:00:00Z') };
const TENANT = '11111111-1111-4111-8111-111111111111';
const cert1 = { pem: idp1.cert, keyPem: idp1.key };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.code;
  }
  return 'no error';
}

describe('Mimecast gallery app', () => {
  test("a new app has Entra's defaults", () => {
    const app = buildMimecastApp(TENANT, { template: 'mimecast', certificate: cert1 }, deps);
    assert.equal(app.displayName, 'Mimecast');
    assert.equal(app.signingOption, 'assertion');
    assert.equal(app.signingAlgorithm, 'sha256');
    assert.equal(app.nameIdSource, 'user.userprincipalname');
    assert.equal(app.nameIdFormat, NAMEID_FORMAT.emailAddress);
    assert.equal(app.assignmentRequired, true);
    assert.equal(app.certificates.length, 1);
    assert.equal(app.certificates[0]?.active, true);
  });

  test('the default reply URL is the first one unless chosen, and stays one of the reply URLs', () => {
    let app = buildMimecastApp(TENANT, { template: 'mimecast', certificate: cert1, replyUrls: ['https://a/', 'https://b/'] }, deps);
    assert.equal(app.defaultReplyUrl, 'https://a/');
    app = applyAppSettings(app, { defaultReplyUrl: 'https://b/' });
    assert.equal(app.defaultReplyUrl, 'https://b/');
    app = applyAppSettings(app, { replyUrls: ['https://c/'] });
    assert.equal(app.defaultReplyUrl, 'https://c/');
    app = applyAppSettings(app, { defaultReplyUrl: 'https://d/' });
    assert.deepEqual(app.replyUrls, ['https://c/', 'https://d/']);
  });

  test('identifiers are unique within a tenant (case-insensitive), not across tenants', () => {
    const a = buildMimecastApp(
      TENANT,
      { template: 'mimecast', certificate: cert1, identifiers: ['https://eu-api.mimecast.com/sso/A'] },
      deps,
    );
    const b = buildMimecastApp(
      TENANT,
      { template: 'mimecast', certificate: cert1, identifiers: ['HTTPS://EU-API.MIMECAST.COM/sso/A'] },
      deps,
    );
    assert.equal(
      codeOf(() => assertIdentifiersUnique(b, [a])),
      'IDP_IDENTIFIER_IN_USE',
    );
    assert.equal(
      codeOf(() => assertIdentifiersUnique(a, [a])),
      'no error',
    );
    const elsewhere = { ...b, tenantId: '22222222-2222-4222-8222-222222222222' };
    assert.equal(
      codeOf(() => assertIdentifiersUnique(elsewhere, [a])),
      'no error',
    );
    assert.equal(findAppByIdentifier([a], 'https://eu-api.mimecast.com/sso/A')?.app.appId, a.appId);
    assert.equal(findAppByIdentifier([a], 'https://eu-api.mimecast.com/sso/a'), null);
  });

  test('a new certificate is inactive; "make active" rotates', () => {
    const app = buildMimecastApp(TENANT, { template: 'mimecast', certificate: cert1 }, deps);
    const added = addAppCertificate(app, { pem: idp2.cert, keyPem: idp2.key }, deps);
    assert.equal(added.certificate.active, false);
    assert.equal(selectActiveCertificate(added.app).pem, idp1.cert);
    const rotated = activateAppCertificate(added.app, added.certificate.id);
    assert.equal(selectActiveCertificate(rotated).pem, idp2.cert);
    assert.equal(rotated.certificates.filter((c) => c.active).length, 1);
    assert.equal(
      codeOf(() => activateAppCertificate(app, 'nope')),
      'IDP_CERTIFICATE_NOT_FOUND',
    );
  });

  test('assignment decides who may sign in', () => {
    const app = buildMimecastApp(TENANT, { template: 'mimecast', certificate: cert1 }, deps);
    assert.equal(isUserAllowed(app, 'u1'), false);
    const assigned = assignUser(assignUser(app, 'u1'), 'u1');
    assert.deepEqual(assigned.assignedUserIds, ['u1']);
    assert.equal(isUserAllowed(assigned, 'u1'), true);
    assert.equal(isUserAllowed(unassignUser(assigned, 'u1'), 'u1'), false);
    assert.equal(isUserAllowed(applyAppSettings(app, { assignmentRequired: false }), 'u1'), true);
  });
});
