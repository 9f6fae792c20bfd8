/**
 * The mock Entra's stores on SQLite (better-sqlite3). Rows keep the domain objects as JSON beside
 * the columns that are looked up or must be unique.
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { assertIdentifiersUnique, type EnterpriseApp } from '../../core/idp/apps.js';
import { type IdpUser, matchTenant, normalizeUpn, type Tenant } from '../../core/idp/directory.js';
import type { IdpAppStore, IdpStores, IdpTenantStore, IdpUserStore } from '../../core/idp/ports.js';
import { foldAsciiCase } from '../../core/saml/ascii-case.js';
import {
  burnPasswordCheck,
  hashPassword,
  type PasswordHashParams,
  PUBLIC_PASSWORD_HASH_PARAMS,
  verifyPasswordHash,
} from '../sqlite/password.js';
import { applyIdpMigrations } from './idp-migrations.js';
import { SqliteSignInLogStore } from './sqlite-sign-in-log.store.js';
import { SqliteTenantKeyStore } from './tenant-keys.store.js';

type JsonRow = { json: string };
type UserRow = { json: string; password_is_temporary: number };

/** The user columns every read takes: the record and the flag kept beside it. */
const USER_COLUMNS = 'json, password_is_temporary';

/** A stored user: the record, with passwordIsTemporary from its column (the column is the truth). */
function readUser(row: UserRow): IdpUser {
  const { passwordIsTemporary: _ignored, ...user } = JSON.parse(row.json) as IdpUser;
  return row.password_is_temporary === 1 ? { ...user, passwordIsTemporary: true } : user;
}

/** What a user row keeps: the record without the flag, and the flag as the column's 0 or 1. */
function writeUser(user: IdpUser): { json: string; temporary: 0 | 1 } {
  const { passwordIsTemporary, ...record } = user;
  return { json: JSON.stringify(record), temporary: passwordIsTemporary === true ? 1 : 0 };
}

/** Reads a stored app; settings added after it was written get their defaults. */
function readApp(json: string): EnterpriseApp {
  return { tokenEncryptionCertificate: null, ...(JSON.parse(json) as Partial<EnterpriseApp>) } as EnterpriseApp;
}

class SqliteIdpTenantStore implements IdpTenantStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<Tenant[]> {
    return (this.db.prepare('SELECT json FROM idp_tenants ORDER BY name').all() as JsonRow[]).map((r) => JSON.parse(r.json) as Tenant);
  }

  async find(nameOrId: string): Promise<Tenant | null> {
    const all = await this.list();
    return all.find((t) => matchTenant(t, nameOrId)) ?? null;
  }

  async create(tenant: Tenant): Promise<Tenant> {
    const clash = (await this.list()).some((t) => matchTenant(t, tenant.tenantId) || matchTenant(t, tenant.name));
    if (clash) throw new AppError('IDP_TENANT_EXISTS', undefined, { details: { tenantId: tenant.tenantId, name: tenant.name } });
    this.db
      .prepare('INSERT INTO idp_tenants (tenant_id, name, json) VALUES (?, ?, ?)')
      .run(tenant.tenantId, tenant.name, JSON.stringify(tenant));
    return tenant;
  }
}

class SqliteIdpUserStore implements IdpUserStore {
  constructor(
    private readonly db: Database,
    private readonly hashParams?: PasswordHashParams,
  ) {}

  async list(tenantId: string): Promise<IdpUser[]> {
    const rows = this.db.prepare(`SELECT ${USER_COLUMNS} FROM idp_users WHERE tenant_id = ? ORDER BY upn_lower`).all(tenantId) as UserRow[];
    return rows.map(readUser);
  }

  async findByUpn(tenantId: string, upn: string): Promise<IdpUser | null> {
    const row = this.db
      .prepare(`SELECT ${USER_COLUMNS} FROM idp_users WHERE tenant_id = ? AND upn_lower = ?`)
      .get(tenantId, normalizeUpn(upn)) as UserRow | undefined;
    return row ? readUser(row) : null;
  }

  async findByUpnAnyTenant(upn: string): Promise<IdpUser | null> {
    const row = this.db
      .prepare(`SELECT ${USER_COLUMNS} FROM idp_users WHERE upn_lower = ? ORDER BY tenant_id LIMIT 1`)
      .get(normalizeUpn(upn)) as UserRow | undefined;
    return row ? readUser(row) : null;
  }

  async findByObjectId(tenantId: string, objectId: string): Promise<IdpUser | null> {
    const row = this.db.prepare(`SELECT ${USER_COLUMNS} FROM idp_users WHERE tenant_id = ? AND object_id = ?`).get(tenantId, objectId) as
      | UserRow
      | undefined;
    return row ? readUser(row) : null;
  }

  async create(user: IdpUser, password: string, options: { passwordIsPublic?: boolean } = {}): Promise<IdpUser> {
    const hash = await hashPassword(password, options.passwordIsPublic ? PUBLIC_PASSWORD_HASH_PARAMS : this.hashParams);
    if (await this.findByUpn(user.tenantId, user.userPrincipalName)) {
      throw new AppError('IDP_USER_EXISTS', undefined, { details: { userPrincipalName: user.userPrincipalName } });
    }
    const row = writeUser(user);
    this.db
      .prepare(
        'INSERT INTO idp_users (tenant_id, upn_lower, object_id, json, password_hash, password_is_temporary) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(user.tenantId, normalizeUpn(user.userPrincipalName), user.objectId, row.json, hash, row.temporary);
    return user;
  }

  async updatePassword(user: IdpUser, password: string): Promise<IdpUser> {
    const hash = await hashPassword(password, this.hashParams);
    const row = writeUser(user);
    const { changes } = this.db
      .prepare('UPDATE idp_users SET json = ?, password_hash = ?, password_is_temporary = ? WHERE tenant_id = ? AND object_id = ?')
      .run(row.json, hash, row.temporary, user.tenantId, user.objectId);
    if (changes === 0) throw new AppError('IDP_USER_NOT_FOUND', undefined, { details: { userPrincipalName: user.userPrincipalName } });
    return user;
  }

  async delete(tenantId: string, upn: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM idp_users WHERE tenant_id = ? AND upn_lower = ?').run(tenantId, normalizeUpn(upn)).changes > 0;
  }

  async verifyPassword(tenantId: string, upn: string, password: string): Promise<IdpUser | null> {
    const row = this.db
      .prepare(`SELECT ${USER_COLUMNS}, password_hash FROM idp_users WHERE tenant_id = ? AND upn_lower = ?`)
      .get(tenantId, normalizeUpn(upn)) as (UserRow & { password_hash: string }) | undefined;
    if (!row) return burnPasswordCheck(password).then(() => null);
    return (await verifyPasswordHash(password, row.password_hash)) ? readUser(row) : null;
  }
}

class SqliteIdpAppStore implements IdpAppStore {
  constructor(private readonly db: Database) {}

  async list(tenantId: string): Promise<EnterpriseApp[]> {
    const rows = this.db.prepare('SELECT json FROM idp_apps WHERE tenant_id = ? ORDER BY rowid').all(tenantId) as JsonRow[];
    return rows.map((r) => readApp(r.json));
  }

  async get(appId: string): Promise<EnterpriseApp | null> {
    const row = this.db.prepare('SELECT json FROM idp_apps WHERE app_id = ?').get(foldAsciiCase(appId)) as JsonRow | undefined;
    return row ? readApp(row.json) : null;
  }

  async create(app: EnterpriseApp): Promise<EnterpriseApp> {
    // Check and write in one synchronous transaction, so two requests cannot both take an identifier.
    this.db.transaction(() => {
      assertIdentifiersUnique(app, this.listSync(app.tenantId));
      this.db.prepare('INSERT INTO idp_apps (app_id, tenant_id, json) VALUES (?, ?, ?)').run(app.appId, app.tenantId, JSON.stringify(app));
    })();
    return app;
  }

  async update(app: EnterpriseApp): Promise<EnterpriseApp> {
    this.db.transaction(() => {
      assertIdentifiersUnique(app, this.listSync(app.tenantId));
      const changes = this.db
        .prepare('UPDATE idp_apps SET json = ? WHERE app_id = ? AND tenant_id = ?')
        .run(JSON.stringify(app), app.appId, app.tenantId).changes;
      if (changes === 0) throw new AppError('IDP_APP_NOT_FOUND', undefined, { details: { appId: app.appId } });
    })();
    return app;
  }

  private listSync(tenantId: string): EnterpriseApp[] {
    return (this.db.prepare('SELECT json FROM idp_apps WHERE tenant_id = ?').all(tenantId) as JsonRow[]).map((r) => readApp(r.json));
  }
}

/**
 * Builds the IdP stores on `db` (the SP's database or one of its own), applying the IdP migrations
 * first. The caller owns the database and closes it.
 */
export function createSqliteIdpStores(db: Database, options: { passwordHashParams?: PasswordHashParams } = {}): IdpStores {
  applyIdpMigrations(db);
  return {
    tenants: new SqliteIdpTenantStore(db),
    users: new SqliteIdpUserStore(db, options.passwordHashParams),
    apps: new SqliteIdpAppStore(db),
    tenantKeys: new SqliteTenantKeyStore(db),
    signInLogs: new SqliteSignInLogStore(db),
  };
}
