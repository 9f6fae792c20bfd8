/**
 * The apply delay (inferred): a vendor's Mimecast guide says a saved configuration takes about
 * fifteen minutes to apply. With `profileApplyDelayMs` set, a saved change is stored at once (the
 * console and the API show it) while sign-ins keep the previous settings until `appliesAt`.
 */
import type { AuthProfile } from './accounts.js';

/** What sign-in (the AuthnRequest and the ACS) uses at `now`: the previous settings while a change is pending. */
export function readEffectiveProfile(profile: AuthProfile, now: Date): AuthProfile {
  const pending = profile.pendingChange;
  if (!pending) return profile;
  if (Date.parse(pending.appliesAt) > now.getTime()) return { ...pending.previous, accountCode: profile.accountCode };
  const { pendingChange: _applied, ...applied } = profile;
  return applied;
}

/** The time a pending change applies, or null when sign-in already uses the stored settings. */
export function readPendingApplyTime(profile: AuthProfile | null, now: Date): string | null {
  const appliesAt = profile?.pendingChange?.appliesAt;
  return appliesAt !== undefined && Date.parse(appliesAt) > now.getTime() ? appliesAt : null;
}

/**
 * The profile to store for a saved change: `next` as saved, and — when there is a delay and a
 * profile was in effect — the settings in effect now, kept until `now + delayMs`. A change saved
 * while another is pending keeps the settings sign-in still uses and restarts the wait.
 */
export function scheduleProfileChange(current: AuthProfile | null, next: AuthProfile, now: Date, delayMs: number): AuthProfile {
  const { pendingChange: _old, ...saved } = next;
  if (delayMs <= 0 || current === null) return saved;
  const { pendingChange: _current, ...previous } = readEffectiveProfile(current, now);
  return { ...saved, pendingChange: { appliesAt: new Date(now.getTime() + delayMs).toISOString(), previous } };
}
