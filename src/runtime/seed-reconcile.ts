/**
 * Restarting on other ports or another public URL: the seeded objects should follow, but never over a
 * person's edit. A field "was never edited" when its value is still what the seed wrote.
 */

/** A seeded object and the fields of it that depend on the harness's URLs. */
export interface SeededObject {
  /** The name the seed state is kept under. */
  name: 'entra-app' | 'mimecast-profile';
  /** How a person finds it: the portal's or console's name for it. */
  title: string;
  /** Field name → the label the portal or console shows. */
  fields: Record<string, string>;
}

export const SEEDED_ENTRA_APP: SeededObject = {
  name: 'entra-app',
  title: 'mock Entra ID › Enterprise applications › Mimecast › Basic SAML Configuration',
  fields: {
    identifiers: 'Identifier (Entity ID)',
    replyUrls: 'Reply URL (Assertion Consumer Service URL)',
    signOnUrl: 'Sign on URL',
    logoutUrl: 'Logout Url',
  },
};

export const SEEDED_MIMECAST_PROFILE: SeededObject = {
  name: 'mimecast-profile',
  title: 'mock Mimecast › Authentication Profile',
  fields: { metadataUrl: 'Metadata URL', issuerUrl: 'Issuer URL', loginUrl: 'Login URL', logoutUrl: 'Logout URL' },
};

/** A field a person edited that no longer matches this start's URLs: kept as it is, reported. */
export interface KeptEdit {
  object: SeededObject['name'];
  field: string;
  label: string;
  current: unknown;
  wanted: unknown;
}

export interface Reconciliation {
  /** Fields to set to this start's values (never edited, and out of date). */
  updates: Record<string, unknown>;
  kept: KeptEdit[];
  /** The seed state to store: this start's value where it now holds, the seed's value where kept. */
  record: Record<string, unknown>;
}

function isSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Decides, field by field, what follows this start's URLs and what is kept as a person edited it. */
export function reconcileSeededFields(
  object: SeededObject,
  seeded: Record<string, unknown>,
  current: Record<string, unknown>,
  wanted: Record<string, unknown>,
): Reconciliation {
  const updates: Record<string, unknown> = {};
  const kept: KeptEdit[] = [];
  const record: Record<string, unknown> = {};
  for (const [field, label] of Object.entries(object.fields)) {
    if (isSame(current[field], wanted[field])) {
      record[field] = wanted[field] ?? null;
    } else if (isSame(current[field], seeded[field])) {
      updates[field] = wanted[field] ?? null;
      record[field] = wanted[field] ?? null;
    } else {
      kept.push({ object: object.name, field, label, current: current[field] ?? null, wanted: wanted[field] ?? null });
      record[field] = seeded[field] ?? null;
    }
  }
  return { updates, kept, record };
}

/** Picks the seeded fields of an object's current values. */
export function pickSeededFields(object: SeededObject, values: object): Record<string, unknown> {
  const source = values as Record<string, unknown>;
  return Object.fromEntries(Object.keys(object.fields).map((field) => [field, source[field] ?? null]));
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.map(String).join(', ');
  return value === null || value === undefined || value === '' ? '(empty)' : String(value);
}

/** The start banner's lines for kept edits: where, which field, the value now, the value to set. */
export function formatKeptEdits(kept: readonly KeptEdit[]): string[] {
  if (kept.length === 0) return [];
  const lines = ['Kept as edited, but not what this start needs (change them to sign in):'];
  for (const edit of kept) {
    const title = edit.object === SEEDED_ENTRA_APP.name ? SEEDED_ENTRA_APP.title : SEEDED_MIMECAST_PROFILE.title;
    lines.push(`  ${title} › ${edit.label}: is ${showValue(edit.current)}, change it to ${showValue(edit.wanted)}`);
  }
  return lines;
}
