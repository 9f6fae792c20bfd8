export type * from '../../core/idp/ports.js';
export { applyIdpMigrations, idpMigrations } from './idp-migrations.js';
export { createSqliteIdpStores } from './sqlite-idp.store.js';
