import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { foldAsciiCase } from '../../core/saml/ascii-case.js';
import type { Account } from '../../core/sp/accounts.js';
import type { AccountStore } from '../../core/sp/ports.js';
import type { RegionCode } from '../../core/sp/regions.js';
import { isConstraintError } from './constraint.js';

interface AccountRow {
  code: string;
  region: string;
  name: string;
  created_at: string;
}

interface DomainRow {
  domain: string;
  account_code: string;
}

/** A domain's key: trimmed, A–Z folded and nothing else, as every identity comparison here. */
export function toDomainKey(domain: string): string {
  return foldAsciiCase(domain.trim());
}

/** Folds, trims and de-duplicates while keeping the order the user gave. */
function normaliseDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map(toDomainKey).filter((d) => d.length > 0))];
}

function toAccount(row: AccountRow, domains: string[]): Account {
  return { code: row.code, region: row.region as RegionCode, name: row.name, domains, createdAt: row.created_at };
}

/** Accounts and their email domains in SQLite; a domain belongs to exactly one account. */
export class SqliteAccountStore implements AccountStore {
  private readonly db: Database;
  private readonly selectAll: Statement<[], AccountRow>;
  private readonly selectOne: Statement<[string], AccountRow>;
  private readonly selectAllDomains: Statement<[], DomainRow>;
  private readonly selectDomains: Statement<[string], DomainRow>;
  private readonly selectByDomain: Statement<[string], AccountRow>;
  private readonly insertAccount: Statement<[string, string, string, string]>;
  private readonly updateAccount: Statement<[string, string, string]>;
  private readonly insertDomain: Statement<[string, string]>;
  private readonly deleteDomains: Statement<[string]>;
  private readonly deletePending: Statement<[string]>;
  private readonly deleteAccount: Statement<[string]>;

  constructor(db: Database) {
    this.db = db;
    this.selectAll = db.prepare('SELECT code, region, name, created_at FROM accounts ORDER BY code');
    this.selectOne = db.prepare('SELECT code, region, name, created_at FROM accounts WHERE code = ?');
    // rowid order is insertion order, so domains come back in the order they were given.
    this.selectAllDomains = db.prepare('SELECT domain, account_code FROM account_domains ORDER BY rowid');
    this.selectDomains = db.prepare('SELECT domain, account_code FROM account_domains WHERE account_code = ? ORDER BY rowid');
    this.selectByDomain = db.prepare(
      'SELECT a.code, a.region, a.name, a.created_at FROM account_domains d JOIN accounts a ON a.code = d.account_code WHERE d.domain = ?',
    );
    this.insertAccount = db.prepare('INSERT INTO accounts (code, region, name, created_at) VALUES (?, ?, ?, ?)');
    this.updateAccount = db.prepare('UPDATE accounts SET region = ?, name = ? WHERE code = ?');
    this.insertDomain = db.prepare('INSERT INTO account_domains (domain, account_code) VALUES (?, ?)');
    this.deleteDomains = db.prepare('DELETE FROM account_domains WHERE account_code = ?');
    this.deletePending = db.prepare('DELETE FROM pending_requests WHERE account_code = ?');
    this.deleteAccount = db.prepare('DELETE FROM accounts WHERE code = ?');
  }

  async list(): Promise<Account[]> {
    const byAccount = new Map<string, string[]>();
    for (const d of this.selectAllDomains.all()) {
      const list = byAccount.get(d.account_code) ?? [];
      list.push(d.domain);
      byAccount.set(d.account_code, list);
    }
    return this.selectAll.all().map((row) => toAccount(row, byAccount.get(row.code) ?? []));
  }

  async get(code: string): Promise<Account | null> {
    return this.readAccount(code);
  }

  async findByDomain(domain: string): Promise<Account | null> {
    const row = this.selectByDomain.get(toDomainKey(domain));
    return row === undefined ? null : toAccount(row, this.readDomains(row.code));
  }

  async create(account: Account): Promise<Account> {
    const domains = normaliseDomains(account.domains);
    this.db.transaction(() => {
      try {
        this.insertAccount.run(account.code, account.region, account.name, account.createdAt);
      } catch (err) {
        if (isConstraintError(err, 'PRIMARYKEY')) throw new AppError('ACCOUNT_EXISTS', undefined, { details: { code: account.code } });
        throw err;
      }
      this.insertDomains(account.code, domains);
    })();
    return this.mustRead(account.code);
  }

  async update(account: Account): Promise<Account> {
    const domains = normaliseDomains(account.domains);
    this.db.transaction(() => {
      if (this.updateAccount.run(account.region, account.name, account.code).changes === 0) {
        throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code: account.code } });
      }
      // Dropping the account's own domains first means any conflict left is with another account.
      this.deleteDomains.run(account.code);
      this.insertDomains(account.code, domains);
    })();
    return this.mustRead(account.code);
  }

  async delete(code: string): Promise<boolean> {
    // Pending requests carry no foreign key (they may be written before the account is checked), so go by hand.
    return this.db.transaction(() => {
      this.deletePending.run(code);
      return this.deleteAccount.run(code).changes > 0;
    })();
  }

  private insertDomains(code: string, domains: string[]): void {
    for (const domain of domains) {
      try {
        this.insertDomain.run(domain, code);
      } catch (err) {
        if (isConstraintError(err, 'PRIMARYKEY')) throw new AppError('DOMAIN_IN_USE', undefined, { details: { domain } });
        throw err;
      }
    }
  }

  private readDomains(code: string): string[] {
    return this.selectDomains.all(code).map((d) => d.domain);
  }

  private readAccount(code: string): Account | null {
    const row = this.selectOne.get(code);
    return row === undefined ? null : toAccount(row, this.readDomains(row.code));
  }

  private mustRead(code: string): Account {
    const account = this.readAccount(code);
    if (account === null) throw new AppError('ACCOUNT_NOT_FOUND', undefined, { details: { code } });
    return account;
  }
}
