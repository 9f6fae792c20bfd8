/** The SQLite constraint kinds the stores turn into catalogue codes. */
export type ConstraintKind = 'PRIMARYKEY' | 'FOREIGNKEY' | 'UNIQUE';

/** True when `err` is better-sqlite3's SqliteError for a violated constraint of this kind. */
export function isConstraintError(err: unknown, kind: ConstraintKind): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === `SQLITE_CONSTRAINT_${kind}`;
}
