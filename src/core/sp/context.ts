import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { NodeSamlGate } from './node-saml-gate.js';
import type { SpStores } from './ports.js';
import type { ValidationSettings } from './validation-settings.js';

/** Settings the SP core reads; built from Config by the caller. */
export interface SpSettings extends ValidationSettings {
  /** No trailing slash; the local ACS is `${publicBaseUrl}/login/saml`. */
  publicBaseUrl: string;
  pendingRequestTtlMs: number;
  acceptProductionUrls: boolean;
  /** How long a saved profile change waits before sign-in uses it (inferred delay); 0 or absent applies at once. */
  profileApplyDelayMs?: number;
}

/** The SP's own key pairs (PEM). Test-only ones ship under certs/. */
export interface SpKeys {
  signingKey: string;
  signingCert: string;
  encryptionKey: string;
  encryptionCert: string;
}

/** Fetches a document for metadata import; implemented outside the core (real HTTP, guarded). */
export type FetchDocument = (url: string) => Promise<{ body: Buffer; finalUrl: string; contentType: string | null }>;

/** Everything the SP core needs from outside, passed in by the app factory or the CLI. */
export interface SpContext {
  stores: SpStores;
  clock: Clock;
  ids: IdGenerator;
  settings: SpSettings;
  keys: SpKeys;
  fetchDocument: FetchDocument;
  /** node-saml as the second gate; one per app, built with it (createNodeSamlGate). */
  nodeSamlGate: NodeSamlGate;
}

/** The signed-in person, kept in the SP session after a successful ACS. */
export interface SignedInSession {
  accountCode: string;
  email: string;
  globalName: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  issuer: string;
  attributes: { name: string; values: string[] }[];
  authnContextClassRef: string | null;
  isAdministrator: boolean;
  landing: string;
  traceId: string;
  signedInAt: string;
  flow: 'sp-initiated' | 'idp-initiated';
}
