/**
 * Users and groups › "Add user/group" › "Add Assignment": the users a selection names, the users the
 * "Users and groups" picker lists (with its search), and "Assign", which gives every selected user
 * Default Access in one write or, when any name is unknown, assigns nobody.
 */

import { foldAsciiCase } from '../saml/ascii-case.js';
import { requireApp } from './admin.js';
import { assignUser, type EnterpriseApp } from './apps.js';
import { type IdpUser, normalizeUpn } from './directory.js';
import { buildFieldError, type FieldError, type FormOutcome } from './field-errors.js';
import type { IdpContext } from './idp-context.js';

/** Longest search kept; longer text cannot match a UPN or display name anyway. */
export const ASSIGNMENT_SEARCH_MAX = 256;

export const ASSIGNMENT_MESSAGES = {
  noneSelected: 'Select at least one user.',
  unknownUser: 'One of the selected users is not in this directory any more. Select the users again.',
} as const;

/** The picker's view of a selection: who is listed (after the search), who is selected, and the selected ones the search hides. */
export interface AssignmentPicker {
  /** Users of the tenant not yet assigned, matching the search, by display name. */
  listed: IdpUser[];
  /** The selection, as users of the tenant not yet assigned (unknown or assigned names are dropped). */
  selected: IdpUser[];
  /** Selected users the search hides: kept in the picker's form so a search does not lose them. */
  hiddenSelected: IdpUser[];
}

function matchesSearch(user: IdpUser, search: string): boolean {
  if (search === '') return true;
  // A display name is searched as people read it; a UPN, an identity, with A-Z folded only.
  return (
    user.displayName.toLowerCase().includes(search.toLowerCase()) || foldAsciiCase(user.userPrincipalName).includes(foldAsciiCase(search))
  );
}

/** The users a list of UPNs names, in the list's order, each once; the names no user has come back apart. */
function resolveUpns(users: readonly IdpUser[], upns: readonly string[]): { found: IdpUser[]; unknown: string[] } {
  const byUpn = new Map(users.map((u) => [normalizeUpn(u.userPrincipalName), u]));
  const found = new Map<string, IdpUser>();
  const unknown: string[] = [];
  for (const upn of upns) {
    const user = byUpn.get(normalizeUpn(upn));
    if (user) found.set(user.objectId, user);
    else if (upn.trim() !== '') unknown.push(upn);
  }
  return { found: [...found.values()], unknown };
}

function listUnassigned(app: EnterpriseApp, users: readonly IdpUser[]): IdpUser[] {
  return users.filter((u) => !app.assignedUserIds.includes(u.objectId));
}

/** What the Add Assignment page and its "Users and groups" picker show for a selection and a search. */
export async function describeAssignmentPicker(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  input: { upns: readonly string[]; search: string },
): Promise<AssignmentPicker> {
  const app = await requireApp(ctx, tenantId, appId);
  const candidates = listUnassigned(app, await ctx.stores.users.list(app.tenantId));
  const search = input.search.trim().slice(0, ASSIGNMENT_SEARCH_MAX);
  const selected = resolveUpns(candidates, input.upns).found;
  const listed = candidates.filter((u) => matchesSearch(u, search)).sort((a, b) => a.displayName.localeCompare(b.displayName));
  const hiddenSelected = selected.filter((u) => !listed.includes(u));
  return { listed, selected, hiddenSelected };
}

/**
 * Add Assignment › Assign: every selected user gets Default Access, in one write. Nothing selected
 * ('none-selected') or a name the directory does not have ('unknown-user') assigns nobody. A user
 * assigned already stays assigned once.
 */
export async function assignUsersToApp(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  upns: readonly string[],
): Promise<FormOutcome<EnterpriseApp>> {
  const refuse = (error: FieldError): FormOutcome<EnterpriseApp> => ({ ok: false, errors: [error] });
  const app = await requireApp(ctx, tenantId, appId);
  const { found, unknown } = resolveUpns(await ctx.stores.users.list(app.tenantId), upns);
  if (unknown.length > 0) return refuse(buildFieldError('users', 'unknown-user', ASSIGNMENT_MESSAGES.unknownUser));
  if (found.length === 0) return refuse(buildFieldError('users', 'none-selected', ASSIGNMENT_MESSAGES.noneSelected));
  return { ok: true, value: await ctx.stores.apps.update(found.reduce((next, user) => assignUser(next, user.objectId), app)) };
}
