/**
 * Mimecast's "Monitor Metadata URL": fetch the profile's Metadata URL again, and when the IdP's
 * certificates or endpoints changed, record what changed and trust the new values — so an Entra
 * certificate rollover does not break sign-in. A failed fetch is recorded and changes nothing.
 */
import { AppError } from '../errors.js';
import { parseIdpMetadata } from '../saml/metadata.js';
import type { IdpMetadata } from '../saml/types.js';
import type { AuthProfile } from './accounts.js';
import type { SpContext } from './context.js';
import { diffProfileMetadata, type MetadataEvent } from './metadata-diff.js';
import { applyMetadataToProfile } from './profile-import.js';

/** What one check did for one account. */
export interface MetadataCheckResult {
  accountCode: string;
  /**
   * changed: the profile now trusts the new values and `events` says what changed; unchanged: the
   * metadata matches the profile; failed: the fetch or parse failed (one fetch-failed event); skipped:
   * no profile, monitoring off, or no Metadata URL.
   */
  outcome: 'changed' | 'unchanged' | 'failed' | 'skipped';
  events: MetadataEvent[];
  /** The profile after the check (null when there is none). */
  profile: AuthProfile | null;
}

/** A check that could not even record its outcome (the store failed); the round goes on. */
export interface MetadataCheckError {
  accountCode: string;
  outcome: 'error';
  error: unknown;
}

function isMonitored(profile: AuthProfile | null): profile is AuthProfile & { metadataUrl: string } {
  return profile?.monitorMetadataUrl === true && profile.metadataUrl !== null && profile.metadataUrl !== '';
}

async function fetchMetadata(ctx: SpContext, url: string, now: Date): Promise<IdpMetadata> {
  const fetched = await ctx.fetchDocument(url);
  return parseIdpMetadata(fetched.body.toString('utf8'), { now, sourceUrl: url });
}

function buildFailureEvent(ctx: SpContext, accountCode: string, url: string, at: Date, error: unknown): MetadataEvent {
  const appError = error instanceof AppError ? error : null;
  const status = (appError?.details as { status?: unknown } | undefined)?.status;
  const reason = appError ? appError.message : 'an unexpected error (the log has it)';
  return {
    id: ctx.ids.uuid(),
    accountCode,
    at: at.toISOString(),
    kind: 'fetch-failed',
    detail: `Checking ${url} failed${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${reason} The profile was left as it was.`,
    thumbprint: null,
    code: appError ? appError.code : 'INTERNAL',
  };
}

/**
 * Checks one account's Metadata URL now. When the metadata differs from the profile, writes the
 * updated profile in one piece (the same fields "Import" fills; every other setting as it is at write
 * time) and records one event per change; when the fetch or parse fails, records a fetch-failed event
 * with the error code and leaves the profile untouched. Store failures reject.
 */
export async function runMetadataCheck(ctx: SpContext, accountCode: string): Promise<MetadataCheckResult> {
  const before = await ctx.stores.profiles.get(accountCode);
  if (!isMonitored(before)) return { accountCode, outcome: 'skipped', events: [], profile: before };
  const url = before.metadataUrl;
  const at = ctx.clock.now();

  let metadata: IdpMetadata;
  try {
    metadata = await fetchMetadata(ctx, url, at);
  } catch (error) {
    const event = buildFailureEvent(ctx, accountCode, url, at, error);
    await ctx.stores.metadataEvents.add([event]);
    return { accountCode, outcome: 'failed', events: [event], profile: before };
  }

  // Read again: the profile may have been saved while the fetch was in flight, and that save wins
  // for every field the metadata does not fill. A changed URL or monitoring turned off ends the check.
  const current = await ctx.stores.profiles.get(accountCode);
  if (!isMonitored(current) || current.metadataUrl !== url) return { accountCode, outcome: 'skipped', events: [], profile: current };
  const next = applyMetadataToProfile(current, metadata, url, at);
  const changes = diffProfileMetadata(current, next);
  if (changes.length === 0) return { accountCode, outcome: 'unchanged', events: [], profile: current };

  await ctx.stores.profiles.put(next);
  const events: MetadataEvent[] = changes.map((change) => ({
    id: ctx.ids.uuid(),
    accountCode,
    at: at.toISOString(),
    code: null,
    ...change,
  }));
  await ctx.stores.metadataEvents.add(events);
  return { accountCode, outcome: 'changed', events, profile: next };
}

/**
 * One round: checks every account whose profile monitors its Metadata URL, one after another (each
 * fetch is bounded by the fetcher's timeout). One account's store failure does not stop the others.
 */
export async function runMetadataChecks(ctx: SpContext): Promise<(MetadataCheckResult | MetadataCheckError)[]> {
  const results: (MetadataCheckResult | MetadataCheckError)[] = [];
  for (const account of await ctx.stores.accounts.list()) {
    try {
      const result = await runMetadataCheck(ctx, account.code);
      if (result.outcome !== 'skipped') results.push(result);
    } catch (error) {
      results.push({ accountCode: account.code, outcome: 'error', error });
    }
  }
  return results;
}
