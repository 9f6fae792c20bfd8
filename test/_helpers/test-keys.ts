/**
 * The test-only keys and certificates in certs/, read once. Never use them outside tests.
 */
import { readFileSync } from 'node:fs';

export interface KeyPair {
  /** PEM private key. */
  key: string;
  /** PEM self-signed certificate. */
  cert: string;
}

const certsDir = new URL('../../certs/', import.meta.url);

function readPair(name: string): KeyPair {
  return {
    key: readFileSync(new URL(`${name}.key`, certsDir), 'utf8'),
    cert: readFileSync(new URL(`${name}.crt`, certsDir), 'utf8'),
  };
}

/** idp1 is the mock Entra's active signing certificate, idp2 a second (rollover or attacker) one. */
export const testKeys = {
  idp1: readPair('idp-signing-1'),
  idp2: readPair('idp-signing-2'),
  spSigning: readPair('sp-signing'),
  spEncryption: readPair('sp-encryption'),
} as const;

export const { idp1, idp2, spSigning, spEncryption } = testKeys;
