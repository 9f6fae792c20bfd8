import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AdditionalClaim,
  DEFAULT_ADDITIONAL_CLAIMS,
  formatClaimUri,
  MAX_ADDITIONAL_CLAIMS,
  validateNewClaim,
} from '../../../src/core/idp/additional-claims.js';
import { buildDefaultClaims } from '../../../src/core/idp/claims.js';
import { ENTRA_CLAIM } from '../../../src/core/saml/constants.js';

const USER = {
  userPrincipalName: 'B.Simon@contoso.com',
  mail: 'B.Simon@contoso.com',
  objectId: '8c1e6f4a-3b2d-4e5f-9a0b-1c2d3e4f5a6b',
  displayName: 'B. Simon',
  givenName: 'B.',
  surname: 'Simon',
};
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function codes(
  form: { name: string; namespace: string; source: string },
  existing: readonly AdditionalClaim[] = DEFAULT_ADDITIONAL_CLAIMS,
): string[] {
  return validateNewClaim(form, existing).map((e) => `${e.field}:${e.code}`);
}

describe('additional claims', () => {
  test("the defaults are Entra's four, under the xmlsoap namespace, after Entra's own claims", () => {
    const names = buildDefaultClaims(USER, TENANT).map((c) => c.name);
    assert.deepEqual(names.slice(-4), [ENTRA_CLAIM.givenName, ENTRA_CLAIM.surname, ENTRA_CLAIM.emailAddress, ENTRA_CLAIM.name]);
    assert.deepEqual(DEFAULT_ADDITIONAL_CLAIMS.map(formatClaimUri), names.slice(-4));
  });

  test("an app's own list replaces the four; Entra's own claims stay; an empty source sends nothing", () => {
    const list: AdditionalClaim[] = [
      { name: 'email', namespace: '', source: 'user.mail' },
      { name: 'department', namespace: 'https://contoso.com/claims/', source: 'user.displayname' },
    ];
    const claims = buildDefaultClaims({ ...USER, mail: null }, TENANT, undefined, list);
    const names = claims.map((c) => c.name);
    assert.ok(names.includes(ENTRA_CLAIM.tenantId) && names.includes(ENTRA_CLAIM.objectId));
    assert.ok(!names.includes(ENTRA_CLAIM.givenName));
    assert.ok(!names.includes('email'), 'a user without mail gets no email claim');
    assert.deepEqual(claims.find((c) => c.name === 'https://contoso.com/claims/department')?.values, ['B. Simon']);
    assert.deepEqual(
      buildDefaultClaims(USER, TENANT, undefined, [])
        .map((c) => c.name)
        .includes(ENTRA_CLAIM.name),
      false,
    );
  });

  test('a new claim needs a name without spaces, an absolute namespace or none, and a listed source', () => {
    assert.deepEqual(codes({ name: 'email', namespace: '', source: 'user.mail' }), []);
    assert.deepEqual(codes({ name: '  ', namespace: '', source: 'user.mail' }), ['claimName:required']);
    assert.deepEqual(codes({ name: 'e mail', namespace: '', source: 'user.mail' }), ['claimName:invalid-uri']);
    assert.deepEqual(codes({ name: 'email', namespace: 'claims/relative', source: 'user.mail' }), ['claimNamespace:invalid-uri']);
    assert.deepEqual(codes({ name: 'email', namespace: '', source: 'user.password' }), ['claimSource:invalid-choice']);
  });

  test('the same name and namespace twice is refused, and so is a list at its limit', () => {
    assert.deepEqual(
      codes({
        name: 'emailaddress',
        namespace: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/',
        source: 'user.userprincipalname',
      }),
      ['claimName:duplicate'],
    );
    assert.deepEqual(codes({ name: 'emailaddress', namespace: '', source: 'user.mail' }), [], 'another namespace is another claim');
    const full = Array.from(
      { length: MAX_ADDITIONAL_CLAIMS },
      (_, i): AdditionalClaim => ({ name: `c${i}`, namespace: '', source: 'user.mail' }),
    );
    assert.deepEqual(codes({ name: 'one-more', namespace: '', source: 'user.mail' }, full), ['claimName:too-long']);
  });
});
