import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import type { AuthProfile } from '../../core/sp/accounts.js';
import type { ProfileStore } from '../../core/sp/ports.js';
import { isConstraintError } from './constraint.js';

interface ProfileRow {
  account_code: string;
  json: string;
}

function toProfile(row: ProfileRow): AuthProfile {
  // The column is authoritative for the key, so a hand-edited JSON cannot move a profile to another account.
  const profile = JSON.parse(row.json) as AuthProfile;
  profile.accountCode = row.account_code;
  // Settings added later read as their defaults on profiles stored before them.
  profile.trustedMetadataCertificates ??= 'all';
  profile.acceptEncryptedAssertions ??= false;
  return profile;
}

/** Authentication profiles, one per account, kept as JSON so new profile settings need no migration. */
export class SqliteProfileStore implements ProfileStore {
  private readonly selectOne: Statement<[string], ProfileRow>;
  private readonly selectByIssuer: Statement<[string], ProfileRow>;
  private readonly upsert: Statement<[string, string, string]>;

  constructor(db: Database) {
    this.selectOne = db.prepare('SELECT account_code, json FROM profiles WHERE account_code = ?');
    this.selectByIssuer = db.prepare(
      "SELECT account_code, json FROM profiles WHERE json_extract(json, '$.issuerUrl') = ? ORDER BY account_code",
    );
    this.upsert = db.prepare(
      `INSERT INTO profiles (account_code, json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (account_code) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    );
  }

  async get(accountCode: string): Promise<AuthProfile | null> {
    const row = this.selectOne.get(accountCode);
    return row === undefined ? null : toProfile(row);
  }

  /** Creates or replaces; throws ACCOUNT_NOT_FOUND when the account does not exist. */
  async put(profile: AuthProfile): Promise<AuthProfile> {
    try {
      this.upsert.run(profile.accountCode, JSON.stringify(profile), profile.updatedAt);
    } catch (err) {
      if (isConstraintError(err, 'FOREIGNKEY'))
        throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code: profile.accountCode } });
      throw err;
    }
    const stored = this.selectOne.get(profile.accountCode);
    if (stored === undefined) throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code: profile.accountCode } });
    return toProfile(stored);
  }

  async findByIssuer(issuer: string): Promise<AuthProfile[]> {
    return this.selectByIssuer.all(issuer).map(toProfile);
  }
}
