import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decideAuthnContext } from '../../src/core/idp/aadsts.js';
import { AUTHN_CONTEXT } from '../../src/core/saml/constants.js';
import type { Harness } from '../../src/runtime/harness.js';
import { SEED } from '../../src/runtime/seed.js';
import { startTestHarness } from '../../src/testing/harness.js';
import {
  describeMatrixReading,
  formatMatrixTable,
  MATRIX_METHODS,
  type MatrixGrid,
  runSignInMatrix,
  SWITCH_ROWS,
} from '../../src/testing/matrix.js';

/** `mock-mimecast matrix`: the two context switches × the four users' methods and Windows Hello, as real sign-ins. */
describe('the authentication-context matrix', () => {
  let h: Harness;
  let grid: MatrixGrid;

  before(async () => {
    h = await startTestHarness();
    grid = await runSignInMatrix({ harness: h });
  });
  after(() => h.close());

  test('rows are the switch combinations, columns the sign-in methods', () => {
    assert.deepEqual(grid.methods, [...MATRIX_METHODS]);
    assert.deepEqual(
      grid.rows.map((r) => r.switches),
      ['off', 'password', 'integrated', 'both'],
    );
  });

  test('both switches off: every method signs in', () => {
    assert.deepEqual(
      Object.values(grid.rows[0]?.cells ?? {}),
      MATRIX_METHODS.map(() => 'signed-in'),
    );
  });

  test("'Use Password protected Context': password and password-plus-push users sign in, Windows Hello gets AADSTS75011", () => {
    const row = grid.rows.find((r) => r.switches === 'password');
    assert.equal(row?.cells.password, 'signed-in');
    assert.equal(row?.cells['multi-factor'], 'signed-in');
    assert.equal(row?.cells['windows-hello'], 'AADSTS75011');
  });

  test("every cell follows the mock Entra's authentication-context mapping", () => {
    for (const row of SWITCH_ROWS) {
      const classRefs = [
        ...(row.usePasswordProtectedContext ? [AUTHN_CONTEXT.passwordProtectedTransport] : []),
        ...(row.useIntegratedAuthContext ? [AUTHN_CONTEXT.windows] : []),
      ];
      const cells = grid.rows.find((r) => r.switches === row.id)?.cells;
      for (const method of MATRIX_METHODS) {
        const decision = decideAuthnContext(method, classRefs.length ? { comparison: 'exact', classRefs } : null);
        assert.equal(cells?.[method], decision.ok ? 'signed-in' : 'AADSTS75011', `${row.id} × ${method}`);
      }
    }
  });

  test('the profile is put back, and the table and the reading are printed from the grid', async () => {
    const profile = await h.sp.stores.profiles.get(SEED.accountCode);
    assert.equal(profile?.usePasswordProtectedContext, false);
    assert.equal(profile?.useIntegratedAuthContext, false);
    assert.equal(formatMatrixTable(grid).split('\n').length, 2 + SWITCH_ROWS.length);
    assert.equal(describeMatrixReading(grid).split('\n').length, 1);
  });
});
