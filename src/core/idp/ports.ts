/**
 * The storage ports of the mock Entra. Every method is async so a networked store can stand behind
 * the same port; the SQLite implementation is in sqlite-idp.store.ts.
 */
import type { EnterpriseApp } from './apps.js';
import type { IdpUser, Tenant } from './directory.js';
import type { SignInLogEntry } from './sign-in-log-entry.js';

export interface IdpTenantStore {
  list(): Promise<Tenant[]>;
  /** By tenant id, initial domain name or verified domain (case-insensitive). */
  find(nameOrId: string): Promise<Tenant | null>;
  /** Throws IDP_TENANT_EXISTS. */
  create(tenant: Tenant): Promise<Tenant>;
}

export interface IdpUserStore {
  list(tenantId: string): Promise<IdpUser[]>;
  /** Case-insensitive on the UPN. */
  findByUpn(tenantId: string, upn: string): Promise<IdpUser | null>;
  /** The user with this UPN in whichever tenant has it (UPNs are globally unique in Entra). */
  findByUpnAnyTenant(upn: string): Promise<IdpUser | null>;
  findByObjectId(tenantId: string, objectId: string): Promise<IdpUser | null>;
  /**
   * Throws IDP_USER_EXISTS. The password is hashed with scrypt, never stored as given. `passwordIsPublic`
   * (the seeded user's password, printed at every start) lets the store hash it at a low cost: a slow
   * hash of a password everyone can read protects nothing and only delays the first start.
   */
  create(user: IdpUser, password: string, options?: { passwordIsPublic?: boolean }): Promise<IdpUser>;
  /**
   * Replaces the user's password (hashed with scrypt) and stored record (e.g. passwordIsTemporary
   * cleared) together, found by tenant and object id; IDP_USER_NOT_FOUND when the user is gone.
   */
  updatePassword(user: IdpUser, password: string): Promise<IdpUser>;
  delete(tenantId: string, upn: string): Promise<boolean>;
  /** The user when the password matches; null for a wrong password or an unknown user (same timing). */
  verifyPassword(tenantId: string, upn: string, password: string): Promise<IdpUser | null>;
}

export interface IdpAppStore {
  list(tenantId: string): Promise<EnterpriseApp[]>;
  get(appId: string): Promise<EnterpriseApp | null>;
  /** Throws IDP_IDENTIFIER_IN_USE when an identifier is taken within the tenant. */
  create(app: EnterpriseApp): Promise<EnterpriseApp>;
  /** Throws IDP_APP_NOT_FOUND or IDP_IDENTIFIER_IN_USE. */
  update(app: EnterpriseApp): Promise<EnterpriseApp>;
}

/** A tenant's own keys for its tenant-wide federation metadata (PEM pairs, oldest first). */
export interface TenantKey {
  cert: string;
  key: string;
}

export interface IdpTenantKeyStore {
  list(tenantId: string): Promise<TenantKey[]>;
  /** Stores the keys unless the tenant already has some; returns whichever set is stored. */
  putIfAbsent(tenantId: string, keys: readonly TenantKey[]): Promise<TenantKey[]>;
}

/** The sign-in logs of each tenant. */
export interface IdpSignInLogStore {
  /** Keeps an entry, then drops the tenant's entries beyond the newest `retain`. */
  add(entry: SignInLogEntry, retain: number): Promise<void>;
  /** Newest first (the order the attempts were recorded in, reversed). */
  list(tenantId: string, limit: number): Promise<SignInLogEntry[]>;
}

/** Every IdP store. */
export interface IdpStores {
  tenants: IdpTenantStore;
  users: IdpUserStore;
  apps: IdpAppStore;
  tenantKeys: IdpTenantKeyStore;
  signInLogs: IdpSignInLogStore;
}
