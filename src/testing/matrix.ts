/**
 * The authentication-context matrix: Mimecast's two profile switches ("Use Password protected
 * Context", "Use Integrated Authentication Context") against the ways an Entra user can sign in,
 * each cell a real SP-initiated sign-in through an in-process harness: one column a user's own
 * method (typing the password; a multi-factor user then approves the push), and one for a password
 * user who picks "Sign in with Windows Hello (device)". It shows at a glance which combinations end
 * in AADSTS75011.
 */
import { assignUserToApp, createUser } from '../core/idp/admin.js';
import { AUTH_METHODS, type AuthMethod } from '../core/idp/directory.js';
import type { Harness } from '../runtime/harness.js';
import { SEED } from '../runtime/seed.js';
import { IDP_SEED } from '../runtime/seed-idp.js';
import { startTestHarness } from './harness.js';
import type { SignInResult } from './sign-in.js';
import { signInSpInitiated } from './sign-in.js';

/** One combination of the two profile switches. */
export interface SwitchRow {
  id: 'off' | 'password' | 'integrated' | 'both';
  label: string;
  usePasswordProtectedContext: boolean;
  useIntegratedAuthContext: boolean;
}

export const SWITCH_ROWS: readonly SwitchRow[] = [
  { id: 'off', label: 'both off', usePasswordProtectedContext: false, useIntegratedAuthContext: false },
  { id: 'password', label: 'Password protected', usePasswordProtectedContext: true, useIntegratedAuthContext: false },
  { id: 'integrated', label: 'Integrated', usePasswordProtectedContext: false, useIntegratedAuthContext: true },
  { id: 'both', label: 'both on', usePasswordProtectedContext: true, useIntegratedAuthContext: true },
];

/** A column: a user's own method, or a password user's Windows Hello session. */
export type MatrixMethod = AuthMethod | 'windows-hello';

export const MATRIX_METHODS: readonly MatrixMethod[] = [...AUTH_METHODS, 'windows-hello'];

/** What one sign-in ended in: `signed-in`, an AADSTS code (`AADSTS75011`), or the SP's first failing code. */
export type MatrixCell = string;

export interface MatrixGrid {
  methods: MatrixMethod[];
  rows: { switches: SwitchRow['id']; label: string; cells: Record<MatrixMethod, MatrixCell> }[];
}

/** A test-only password for the test-only matrix users of an in-memory tenant. */
const MATRIX_PASSWORD = 'Test-only-Matrix-Passw0rd!';

/** The matrix user of a method, e.g. matrix.multi-factor@contoso.com. */
export function buildMatrixUpn(method: MatrixMethod): string {
  return `matrix.${method}@${IDP_SEED.domain}`;
}

/** Reads a sign-in's outcome as a cell: signed in, the AADSTS code Entra gave, or the SP's code. */
export function classifySignIn(result: SignInResult): MatrixCell {
  if (result.ok) return 'signed-in';
  if (result.aadsts) return result.aadsts;
  const status = result.trace?.checks.find((c) => c.id === 'status' && c.status === 'fail');
  const aadsts = status?.received?.match(/AADSTS\d+/)?.[0];
  return aadsts ?? result.trace?.summary.firstFailure ?? 'no-response';
}

/** Creates one assigned user per sign-in method in the mock Entra and in the SP directory (once). */
async function ensureMatrixUsers(h: Harness): Promise<void> {
  const seed = h.walkthrough.idp;
  if (!h.idp || !seed) throw new Error('The matrix needs the seeded mock Entra (idp.enabled and seed on).');
  for (const method of MATRIX_METHODS) {
    const upn = buildMatrixUpn(method);
    if (!(await h.idp.ctx.stores.users.findByUpn(seed.tenantId, upn))) {
      await createUser(h.idp.ctx, seed.tenantId, {
        userPrincipalName: upn,
        password: MATRIX_PASSWORD,
        displayName: `Matrix ${method}`,
        authMethod: method === 'windows-hello' ? 'password' : method,
      });
    }
    await assignUserToApp(h.idp.ctx, seed.tenantId, seed.appId, upn);
    if (!(await h.sp.stores.directory.find(SEED.accountCode, upn))) {
      const now = new Date().toISOString();
      await h.sp.stores.directory.create(
        { accountCode: SEED.accountCode, email: upn, globalName: `Matrix ${method}`, forceChangeAtLogin: false, roles: [], createdAt: now },
        null,
      );
    }
  }
}

/**
 * Runs every switch combination × sign-in method as a real SP-initiated sign-in. Uses `harness`
 * when given (its profile is put back afterwards), else starts and closes an in-process one.
 */
export async function runSignInMatrix(options: { harness?: Harness } = {}): Promise<MatrixGrid> {
  const h = options.harness ?? (await startTestHarness());
  try {
    await ensureMatrixUsers(h);
    const original = await h.sp.stores.profiles.get(SEED.accountCode);
    if (!original) throw new Error(`The seeded account ${SEED.accountCode} has no profile.`);
    const grid: MatrixGrid = { methods: [...MATRIX_METHODS], rows: [] };
    try {
      for (const row of SWITCH_ROWS) {
        await h.sp.stores.profiles.put({
          ...original,
          usePasswordProtectedContext: row.usePasswordProtectedContext,
          useIntegratedAuthContext: row.useIntegratedAuthContext,
        });
        const cells = {} as Record<MatrixMethod, MatrixCell>;
        for (const method of MATRIX_METHODS) {
          const credentials = { email: buildMatrixUpn(method), password: MATRIX_PASSWORD };
          cells[method] = classifySignIn(await signInSpInitiated(h, method === 'windows-hello' ? { ...credentials, method } : credentials));
        }
        grid.rows.push({ switches: row.id, label: row.label, cells });
      }
    } finally {
      await h.sp.stores.profiles.put(original);
    }
    return grid;
  } finally {
    if (!options.harness) await h.close();
  }
}

/** The grid as a text table: rows are the switches, columns the sign-in methods. */
export function formatMatrixTable(grid: MatrixGrid): string {
  const header = ['context switches', ...grid.methods];
  const lines = [header, ...grid.rows.map((r) => [r.label, ...grid.methods.map((m) => r.cells[m])])];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(format)].join('\n');
}

/** One line that says what the grid means for a Mimecast admin. */
export function describeMatrixReading(grid: MatrixGrid): string {
  const passwordRow = grid.rows.find((r) => r.switches === 'password');
  if (passwordRow?.cells['windows-hello'] === 'AADSTS75011') {
    return "With 'Use Password protected Context' on, Windows Hello (passwordless) sign-ins get AADSTS75011 — untick it, as the Mimecast tutorial says.";
  }
  const failing = grid.rows.filter((r) => Object.values(r.cells).some((c) => c !== 'signed-in')).map((r) => r.label);
  return failing.length === 0
    ? 'Every sign-in method signs in with every switch combination.'
    : `Some sign-in methods fail with: ${failing.join(', ')}.`;
}
