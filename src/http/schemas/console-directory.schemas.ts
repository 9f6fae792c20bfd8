/**
 * The Internal Directories forms of the Administration Console: "New Domain", "New Address" and an
 * address's edit form.
 * The rules are the JSON API's schemas; the form adds only what a form has (Confirm Password, role
 * checkboxes).
 */
import { ADMIN_ROLES } from '../../core/sp/accounts.js';
import { domainListSchema, domainSchema } from './account.schemas.js';
import {
  buildFieldError,
  type FieldErrors,
  parseFormFields,
  readFormBody,
  readFormCheckbox,
  readFormList,
  readFormText,
} from './console-form.js';
import { createDirectoryUserSchema, patchDirectoryUserSchema } from './directory.schemas.js';
import { dropUndefined } from './validate.js';

export const DOMAIN_HINT = 'Type a DNS name such as contoso.com, without @ or https://.';

/** The fix for each New Address field. */
export const ADDRESS_FIELD_HINTS: Record<string, string> = {
  email:
    "Type the primary email address, such as b.simon@contoso.com; it must be in one of the account's domains and match the user's UPN in Entra.",
  globalName: 'A display name such as B. Simon (at most 200 characters); left empty, the part before the @ is used.',
  password: 'Optional with SAML sign-in; at most 256 characters.',
  confirmPassword: 'Type the same password in Password and Confirm Password.',
  roles: 'Tick only the roles listed.',
};

/** "New Domain" as posted. */
export function readNewDomainForm(body: unknown): { domain: string } {
  return { domain: readFormText(readFormBody(body), 'domain') };
}

/** The account's domains with the new one added (lower case, no duplicates), or the problem beside the field. */
export function parseNewDomain(
  current: readonly string[],
  domain: string,
): { ok: true; domains: string[]; domain: string } | { ok: false; errors: FieldErrors } {
  const one = parseFormFields(domainSchema, domain, {});
  if (!one.ok) return { ok: false, errors: { domain: buildFieldError(one.errors._form?.message ?? 'must be a DNS name', DOMAIN_HINT) } };
  const all = domainListSchema.safeParse([...current, one.value]);
  if (!all.success)
    return {
      ok: false,
      errors: {
        domain: buildFieldError(
          'the account has as many domains as it may hold (100)',
          'Remove a domain the account no longer uses first.',
        ),
      },
    };
  return { ok: true, domains: all.data, domain: one.value };
}

/** "New Address" as drawn and as posted. */
export interface NewAddressValues {
  email: string;
  globalName: string;
  password: string;
  confirmPassword: string;
  forceChangeAtLogin: boolean;
  roles: string[];
}

/** "New Address" as posted; missing fields read as empty. */
export function readNewAddressForm(body: unknown): NewAddressValues {
  const form = readFormBody(body);
  return {
    email: readFormText(form, 'email').trim(),
    globalName: readFormText(form, 'globalName'),
    password: readFormText(form, 'password'),
    confirmPassword: readFormText(form, 'confirmPassword'),
    forceChangeAtLogin: readFormCheckbox(form, 'forceChangeAtLogin'),
    roles: readFormList(form, 'roles'),
  };
}

/** The input for addDirectoryUser, or every problem beside its field at once. */
export function parseNewAddressForm(values: NewAddressValues) {
  const parsed = parseFormFields(
    createDirectoryUserSchema,
    {
      email: values.email,
      ...(values.globalName.trim() === '' ? {} : { globalName: values.globalName }),
      ...(values.password === '' ? {} : { password: values.password }),
      forceChangeAtLogin: values.forceChangeAtLogin,
      roles: values.roles,
    },
    ADDRESS_FIELD_HINTS,
  );
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (values.password !== values.confirmPassword) {
    errors.confirmPassword = buildFieldError('must be the same as Password', ADDRESS_FIELD_HINTS.confirmPassword as string);
  }
  const unknownRole = values.roles.find((role) => !(ADMIN_ROLES as readonly string[]).includes(role));
  if (unknownRole !== undefined)
    errors.roles = buildFieldError(`"${unknownRole}" is not a role offered here`, ADDRESS_FIELD_HINTS.roles as string);
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false as const, errors };
  return { ok: true as const, value: dropUndefined(parsed.value) };
}

/** An address's edit form as drawn and as posted: what PATCH may change (the address itself is fixed). */
export interface EditAddressValues {
  globalName: string;
  forceChangeAtLogin: boolean;
  roles: string[];
}

/** The edit form as posted; missing fields read as empty (an unticked box sends nothing). */
export function readEditAddressForm(body: unknown): EditAddressValues {
  const form = readFormBody(body);
  return {
    globalName: readFormText(form, 'globalName'),
    forceChangeAtLogin: readFormCheckbox(form, 'forceChangeAtLogin'),
    roles: readFormList(form, 'roles'),
  };
}

/**
 * The patch for updateDirectoryUser, or every problem beside its field. `offered` is every role the
 * form shows: Mimecast's administrator roles and any other the address already holds (the API
 * accepts any), so saving the form never drops a role nobody unticked.
 */
export function parseEditAddressForm(values: EditAddressValues, context: { email: string; offered: readonly string[] }) {
  const { email, offered } = context;
  // Left empty, Global Name is the part before the @, as New Address does.
  const globalName = values.globalName.trim() === '' ? email.slice(0, email.lastIndexOf('@')) : values.globalName;
  const parsed = parseFormFields(
    patchDirectoryUserSchema,
    { globalName, forceChangeAtLogin: values.forceChangeAtLogin, roles: values.roles },
    ADDRESS_FIELD_HINTS,
  );
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const unknownRole = values.roles.find((role) => !offered.includes(role));
  if (unknownRole !== undefined)
    errors.roles = buildFieldError(`"${unknownRole}" is not a role offered here`, ADDRESS_FIELD_HINTS.roles as string);
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false as const, errors };
  return { ok: true as const, value: dropUndefined(parsed.value) };
}

/** The roles an address's edit form offers: the administrator roles, then any other it holds. */
export function listOfferedRoles(held: readonly string[]): string[] {
  return [...ADMIN_ROLES, ...held.filter((role) => !(ADMIN_ROLES as readonly string[]).includes(role))];
}
