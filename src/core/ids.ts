import { randomUUID } from 'node:crypto';

/** Generates identifiers; injectable so tests get stable values. */
export interface IdGenerator {
  /** A GUID, lower case, as Entra prints them. */
  uuid(): string;
  /** A SAML ID: an NCName, so it starts with `_` (AADSTS7500529 refuses a leading digit). */
  samlId(): string;
}

export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  samlId: () => `_${randomUUID()}`,
};

/** Deterministic ids for tests: `<prefix>-1`, `<prefix>-2`, … */
export function createSequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  const next = () => (++n).toString(16).padStart(12, '0');
  return {
    uuid: () => `00000000-0000-4000-8000-${next()}`,
    samlId: () => `_${prefix}-${next()}`,
  };
}
