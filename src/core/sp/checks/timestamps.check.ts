import { findBearerConfirmation } from './bearer.js';
import { type Check, describeCheck } from './check-context.js';

const check = describeCheck('timestamps', 'Assertion is within its time windows', 'SAML Core 2.5.1.2, 2.4.1.2; Profiles 4.1.4.2');

// xs:dateTime as SAML requires it: UTC ("Z") or an explicit offset, optional fraction (SAML Core 1.3.3).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a SAML dateTime; null when absent, NaN when present but not a valid time. */
export function parseSamlTime(value: string | null | undefined): number | null {
  if (value == null) return null;
  return DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
}

/**
 * Conditions NotBefore/NotOnOrAfter and the bearer confirmation's NotOnOrAfter hold at "now" within the
 * configured skew. NotOnOrAfter is exclusive: at exactly NotOnOrAfter + skew the assertion is expired.
 * The report shows the measured difference between the IdP's IssueInstant and this machine's clock.
 */
export const checkTimestamps: Check = (ctx) => {
  const a = ctx.facts.assertion;
  if (!a) return check.skip('No single assertion to read.');
  const now = ctx.now.getTime();
  const skew = ctx.skewMs;
  const bearer = findBearerConfirmation(a);
  const windows = [
    { name: 'Conditions NotBefore', at: parseSamlTime(a.conditions?.notBefore), kind: 'start' as const },
    { name: 'Conditions NotOnOrAfter', at: parseSamlTime(a.conditions?.notOnOrAfter), kind: 'end' as const },
    { name: 'SubjectConfirmationData NotBefore', at: parseSamlTime(bearer?.notBefore), kind: 'start' as const },
    { name: 'SubjectConfirmationData NotOnOrAfter', at: parseSamlTime(bearer?.notOnOrAfter), kind: 'end' as const },
  ];
  const issued = parseSamlTime(a.issueInstant);
  const measured = issued !== null && !Number.isNaN(issued) ? `; IdP clock vs this machine: ${formatSeconds(issued - now)}` : '';
  const received = `now ${ctx.now.toISOString()}, skew ±${skew / 1000}s${measured}; ${windows
    .filter((w) => w.at !== null)
    .map((w) => `${w.name} ${Number.isNaN(w.at) ? 'invalid' : new Date(w.at as number).toISOString()}`)
    .join(', ')}`;
  const invalid = windows.find((w) => w.at !== null && Number.isNaN(w.at));
  if (invalid) return check.fail('SP_TIME_MISSING', { message: `${invalid.name} is not a valid SAML dateTime.`, received });
  if (bearer && parseSamlTime(bearer.notOnOrAfter) === null) {
    return check.fail('SP_TIME_MISSING', { expected: 'SubjectConfirmationData NotOnOrAfter', received });
  }
  for (const w of windows) {
    if (w.at === null) continue;
    if (w.kind === 'start' && now + skew < w.at) {
      return check.fail('SP_TIME_NOT_YET_VALID', {
        expected: `${w.name} ≤ now + skew`,
        received,
        message: `${w.name} is ${formatSeconds(w.at - now)} in the future.`,
      });
    }
    if (w.kind === 'end' && now - skew >= w.at) {
      return check.fail('SP_TIME_EXPIRED', {
        expected: `now − skew < ${w.name}`,
        received,
        message: `${w.name} passed ${formatSeconds(now - w.at)} ago.`,
      });
    }
  }
  return check.pass(`Within every time window${measured}.`, { received });
};

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s > 0 ? '+' : ''}${s}s`;
}
