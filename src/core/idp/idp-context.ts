/**
 * What the mock Entra core needs from outside: stores, clock, ids, keys and settings. The caller
 * (server, CLI, tests) builds it; nothing here reads the environment.
 */

import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { IdpStores } from './ports.js';

/** A PEM key pair. */
export interface IdpKeyPair {
  key: string;
  cert: string;
}

export interface IdpSettings {
  /** No trailing slash, e.g. http://localhost:3001; endpoints are `${idpBaseUrl}/<tenant-id>/saml2`. */
  idpBaseUrl: string;
  /** Largest decoded SAMLRequest accepted. */
  maxSamlBytes: number;
}

export interface IdpKeys {
  /**
   * The token signing certificate of the seeded walk-through app (certs/idp-signing-1, test only).
   * Apps added later get a freshly generated certificate each, as Entra makes one per app.
   */
  seedAppCertificate: IdpKeyPair;
}

export interface IdpContext {
  stores: IdpStores;
  clock: Clock;
  ids: IdGenerator;
  keys: IdpKeys;
  settings: IdpSettings;
}
