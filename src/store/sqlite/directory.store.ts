import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { foldAsciiCase } from '../../core/saml/ascii-case.js';
import { trimXmlSpace } from '../../core/saml/xml-space.js';
import type { DirectoryUser } from '../../core/sp/accounts.js';
import type { DirectoryStore } from '../../core/sp/ports.js';
import { isConstraintError } from './constraint.js';
import { burnPasswordCheck, hashPassword, verifyPasswordHash } from './password.js';

interface UserRow {
  account_code: string;
  email: string;
  global_name: string;
  force_change: number;
  roles_json: string;
  created_at: string;
}

const USER_COLUMNS = 'account_code, email, global_name, force_change, roles_json, created_at';

/**
 * Mimecast matches primary addresses case-insensitively in ASCII; the key folds A–Z and nothing else,
 * so an address spelled with look-alikes (U+212A KELVIN SIGN for K) is never another address's key;
 * only XML white space is trimmed, so one padded with U+00A0 or U+FEFF is not either.
 */
export function toEmailKey(email: string): string {
  return foldAsciiCase(trimXmlSpace(email));
}

function toUser(row: UserRow): DirectoryUser {
  return {
    accountCode: row.account_code,
    email: row.email,
    globalName: row.global_name,
    forceChangeAtLogin: row.force_change !== 0,
    roles: JSON.parse(row.roles_json) as string[],
    createdAt: row.created_at,
  };
}

/** Internal directory addresses per account, with optional cloud passwords (scrypt). */
export class SqliteDirectoryStore implements DirectoryStore {
  private readonly selectAll: Statement<[string], UserRow>;
  private readonly selectOne: Statement<[string, string], UserRow>;
  private readonly selectHash: Statement<[string, string], { password_hash: string | null }>;
  private readonly insert: Statement<[string, string, string, string, string | null, number, string, string]>;
  private readonly updateOne: Statement<[string, string, number, string, string, string]>;
  private readonly deleteOne: Statement<[string, string]>;

  constructor(db: Database) {
    this.selectAll = db.prepare(`SELECT ${USER_COLUMNS} FROM directory_users WHERE account_code = ? ORDER BY email_lower`);
    this.selectOne = db.prepare(`SELECT ${USER_COLUMNS} FROM directory_users WHERE account_code = ? AND email_lower = ?`);
    this.selectHash = db.prepare('SELECT password_hash FROM directory_users WHERE account_code = ? AND email_lower = ?');
    this.insert = db.prepare(
      `INSERT INTO directory_users (account_code, email_lower, email, global_name, password_hash, force_change, roles_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateOne = db.prepare(
      `UPDATE directory_users SET email = ?, global_name = ?, force_change = ?, roles_json = ?
       WHERE account_code = ? AND email_lower = ?`,
    );
    this.deleteOne = db.prepare('DELETE FROM directory_users WHERE account_code = ? AND email_lower = ?');
  }

  async list(accountCode: string): Promise<DirectoryUser[]> {
    return this.selectAll.all(accountCode).map(toUser);
  }

  async find(accountCode: string, email: string): Promise<DirectoryUser | null> {
    const row = this.selectOne.get(accountCode, toEmailKey(email));
    return row === undefined ? null : toUser(row);
  }

  /** Throws USER_EXISTS (case-insensitive on email) or ACCOUNT_NOT_FOUND. A null password means SSO only. */
  async create(user: DirectoryUser, password: string | null): Promise<DirectoryUser> {
    const hash = password === null ? null : await hashPassword(password);
    const email = user.email.trim();
    try {
      this.insert.run(
        user.accountCode,
        toEmailKey(email),
        email,
        user.globalName,
        hash,
        user.forceChangeAtLogin ? 1 : 0,
        JSON.stringify(user.roles),
        user.createdAt,
      );
    } catch (err) {
      if (isConstraintError(err, 'PRIMARYKEY')) throw new AppError('USER_EXISTS', undefined, { details: { email } });
      if (isConstraintError(err, 'FOREIGNKEY')) throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code: user.accountCode } });
      throw err;
    }
    return this.mustFind(user.accountCode, email);
  }

  /**
   * Replaces name, roles and the force-change flag of the address matching `user.email`
   * (case-insensitively; the stored spelling takes the new case). Throws USER_NOT_FOUND.
   */
  async update(user: DirectoryUser): Promise<DirectoryUser> {
    const email = user.email.trim();
    const result = this.updateOne.run(
      email,
      user.globalName,
      user.forceChangeAtLogin ? 1 : 0,
      JSON.stringify(user.roles),
      user.accountCode,
      toEmailKey(email),
    );
    if (result.changes === 0) throw new AppError('USER_NOT_FOUND', undefined, { details: { email } });
    return this.mustFind(user.accountCode, email);
  }

  async delete(accountCode: string, email: string): Promise<boolean> {
    return this.deleteOne.run(accountCode, toEmailKey(email)).changes > 0;
  }

  async verifyPassword(accountCode: string, email: string, password: string): Promise<boolean> {
    const hash = this.selectHash.get(accountCode, toEmailKey(email))?.password_hash ?? null;
    if (hash === null) return burnPasswordCheck(password);
    return verifyPasswordHash(password, hash);
  }

  private mustFind(accountCode: string, email: string): DirectoryUser {
    const row = this.selectOne.get(accountCode, toEmailKey(email));
    if (row === undefined) throw new AppError('USER_NOT_FOUND', undefined, { details: { email } });
    return toUser(row);
  }
}
