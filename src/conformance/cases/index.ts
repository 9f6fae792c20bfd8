/** Every conformance case, grouped by theme; controls first so a broken setup shows at once. */
import type { ConformanceCase } from '../types.js';
import { controlCases } from './controls.cases.js';
import { encryptedDecoyCases } from './encrypted-decoy.cases.js';
import { encryptionCases } from './encryption.cases.js';
import { forgeryCases } from './forgery.cases.js';
import { injectionCases } from './injection.cases.js';
import { nameIdCases } from './nameid.cases.js';
import { payloadCases } from './payload.cases.js';
import { protocolCases } from './protocol.cases.js';
import { sessionCases } from './session.cases.js';
import { signatureCases } from './signature.cases.js';
import { timeCases } from './time.cases.js';
import { wrappingCases } from './wrapping.cases.js';

/** The whole suite, in report order. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...controlCases,
  ...wrappingCases,
  ...signatureCases,
  ...forgeryCases,
  ...injectionCases,
  ...nameIdCases,
  ...encryptionCases,
  ...encryptedDecoyCases,
  ...protocolCases,
  ...sessionCases,
  ...timeCases,
  ...payloadCases,
];

/** Cases whose id or reference contains `filter` (case-insensitive); all when no filter. */
export function selectCases(filter?: string): ConformanceCase[] {
  const needle = filter?.trim().toLowerCase();
  if (!needle) return [...conformanceCases];
  return conformanceCases.filter((c) => c.id.toLowerCase().includes(needle) || c.reference.toLowerCase().includes(needle));
}
