/** The tenants' own metadata signing keys on SQLite, one JSON row a tenant. */
import type { Database } from 'better-sqlite3';
import type { IdpTenantKeyStore, TenantKey } from '../../core/idp/ports.js';

export class SqliteTenantKeyStore implements IdpTenantKeyStore {
  constructor(private readonly db: Database) {}

  async list(tenantId: string): Promise<TenantKey[]> {
    const row = this.db.prepare('SELECT json FROM idp_tenant_keys WHERE tenant_id = ?').get(tenantId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as TenantKey[]) : [];
  }

  async putIfAbsent(tenantId: string, keys: readonly TenantKey[]): Promise<TenantKey[]> {
    // Two first requests may race; the first row wins and both answer with it.
    this.db.prepare('INSERT OR IGNORE INTO idp_tenant_keys (tenant_id, json) VALUES (?, ?)').run(tenantId, JSON.stringify(keys));
    return this.list(tenantId);
  }
}
