/**
 * The admin console's saves: each checks a form with Entra's rules and either saves it or returns
 * every refused field, so the page can show the errors beside the fields with what was typed.
 * Refusals the store makes (an identifier or UPN already taken) come back as field errors too.
 */
import { AppError } from '../errors.js';
import { foldAsciiCase } from '../saml/ascii-case.js';
import { isEmailAddress } from '../saml/email-address.js';
import { createMimecastApp, requireApp, requireTenant, unassignUserFromApp, updateAppSettings } from './admin.js';
import type { EnterpriseApp } from './apps.js';
import { BASIC_SAML_MESSAGES, type BasicSamlForm, buildBasicSamlPatch, findIdentifierRow, validateBasicSamlForm } from './basic-saml.js';
import { type AuthMethod, buildUser, ensureGeneratedPassword, type IdpUser, type NewUserForm, validateNewUserForm } from './directory.js';
import { buildFieldError, type FieldError, type FormOutcome } from './field-errors.js';
import type { IdpContext } from './idp-context.js';

const SIGNING_OPTIONS: readonly string[] = ['response', 'assertion', 'response-and-assertion'];
const SIGNING_ALGORITHMS: readonly string[] = ['sha256', 'sha1'];
const CHOICE = 'Choose one of the listed values.';
const REQUIRED = 'The value must not be empty.';

function refuse<T>(errors: FieldError[]): FormOutcome<T> {
  return { ok: false, errors };
}

/** Gallery › Mimecast › Create: a new Mimecast app named as typed ("Mimecast" by default). */
export async function addGalleryApp(ctx: IdpContext, tenantId: string, name: string): Promise<FormOutcome<EnterpriseApp>> {
  const displayName = name.trim();
  if (displayName === '') return refuse([buildFieldError('displayName', 'required', REQUIRED)]);
  if (displayName.length > 256)
    return refuse([buildFieldError('displayName', 'too-long', 'The value can be at most 256 characters long.')]);
  return { ok: true, value: await createMimecastApp(ctx, tenantId, { displayName }) };
}

/** Properties › Save: "Enabled for users to sign-in?", Name, "Assignment required?" and "Visible to users?". */
export async function saveAppProperties(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  form: { displayName: string; enabledForSignIn: boolean; assignmentRequired: boolean; visibleToUsers: boolean },
): Promise<FormOutcome<EnterpriseApp>> {
  const displayName = form.displayName.trim();
  if (displayName === '') return refuse([buildFieldError('displayName', 'required', REQUIRED)]);
  if (displayName.length > 256)
    return refuse([buildFieldError('displayName', 'too-long', 'The value can be at most 256 characters long.')]);
  const patch = {
    displayName,
    enabledForSignIn: form.enabledForSignIn,
    assignmentRequired: form.assignmentRequired,
    visibleToUsers: form.visibleToUsers,
  };
  return { ok: true, value: await updateAppSettings(ctx, tenantId, appId, patch) };
}

/**
 * Basic SAML Configuration › Save. An Identifier another app of the tenant has is refused beside
 * its row with Entra's "Please enter an identifier which is unique within your organization."
 */
export async function saveBasicSamlConfiguration(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  form: BasicSamlForm,
): Promise<FormOutcome<EnterpriseApp>> {
  const errors = validateBasicSamlForm(form);
  if (errors.length > 0) return refuse(errors);
  try {
    return { ok: true, value: await updateAppSettings(ctx, tenantId, appId, buildBasicSamlPatch(form)) };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'IDP_IDENTIFIER_IN_USE') throw err;
    const details = (err.details ?? {}) as { identifier?: unknown; appId?: unknown };
    const owner = typeof details.appId === 'string' ? await ctx.stores.apps.get(details.appId) : null;
    const error = buildFieldError(
      'identifiers',
      'in-use',
      BASIC_SAML_MESSAGES.identifierInUse,
      findIdentifierRow(form, String(details.identifier ?? '')),
    );
    const hint = owner ? `The app '${owner.displayName}' (${owner.appId}) has this Identifier; remove it there first.` : err.hint;
    return refuse([{ ...error, hint }]);
  }
}

/** SAML Signing Certificate › Save: Signing Option, Signing Algorithm and Notification Email. */
export async function saveSigningSettings(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  form: { signingOption: string; signingAlgorithm: string; notificationEmail: string },
): Promise<FormOutcome<EnterpriseApp>> {
  const errors: FieldError[] = [];
  if (!SIGNING_OPTIONS.includes(form.signingOption)) errors.push(buildFieldError('signingOption', 'invalid-choice', CHOICE));
  if (!SIGNING_ALGORITHMS.includes(form.signingAlgorithm)) errors.push(buildFieldError('signingAlgorithm', 'invalid-choice', CHOICE));
  const email = form.notificationEmail.trim();
  if (email !== '' && !isEmailAddress(email))
    errors.push(buildFieldError('notificationEmail', 'invalid-email', 'Enter an email address, such as admin@contoso.com.'));
  if (errors.length > 0) return refuse(errors);
  const patch = {
    signingOption: form.signingOption as EnterpriseApp['signingOption'],
    signingAlgorithm: form.signingAlgorithm as EnterpriseApp['signingAlgorithm'],
    notificationEmail: email === '' ? null : email,
  };
  return { ok: true, value: await updateAppSettings(ctx, tenantId, appId, patch) };
}

/** Token encryption: the SP's encryption certificate (PEM or base64), or empty to turn encryption off. */
export async function saveTokenEncryptionCertificate(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  certificate: string,
): Promise<FormOutcome<EnterpriseApp>> {
  try {
    return {
      ok: true,
      value: await updateAppSettings(ctx, tenantId, appId, { tokenEncryptionCertificate: certificate.trim() === '' ? null : certificate }),
    };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'CERTIFICATE_INVALID') throw err;
    return refuse([
      buildFieldError(
        'tokenEncryptionCertificate',
        'invalid-certificate',
        'This is not one X.509 certificate in PEM or base64 (.cer) form.',
      ),
    ]);
  }
}

/** Users and groups › Remove: the selected assignments go. */
export async function unassignUsersFromApp(
  ctx: IdpContext,
  tenantId: string,
  appId: string,
  upns: readonly string[],
): Promise<FormOutcome<EnterpriseApp>> {
  if (upns.length === 0) return refuse([buildFieldError('users', 'none-selected', 'Select at least one assignment to remove.')]);
  let app = await requireApp(ctx, tenantId, appId);
  for (const upn of upns) app = await unassignUserFromApp(ctx, tenantId, app.appId, upn);
  return { ok: true, value: app };
}

/**
 * "Create new user" › Create: the password typed, or the auto-generated one the form showed (a new
 * one only when the form carries none that meets the rule), returned so the page can show it again
 * (it is stored hashed only). An auto-generated password is temporary: the user must change it at
 * the next sign-in. A UPN already in the tenant is refused beside the field.
 */
export async function createConsoleUser(
  ctx: IdpContext,
  tenantId: string,
  form: NewUserForm,
): Promise<FormOutcome<{ user: IdpUser; generatedPassword: string | null }>> {
  const tenant = await requireTenant(ctx, tenantId);
  const errors = validateNewUserForm(tenant, form);
  if (errors.length > 0) return refuse(errors);
  const generatedPassword = form.autoPassword ? ensureGeneratedPassword(form).password : null;
  const upn = `${form.upnLocal.trim()}@${foldAsciiCase(form.upnDomain.trim())}`;
  const mail = form.mail?.trim() ?? '';
  const built = buildUser(
    tenant,
    {
      userPrincipalName: upn,
      displayName: form.displayName.trim(),
      mail: mail === '' ? null : mail,
      authMethod: form.authMethod as AuthMethod,
      passwordIsTemporary: form.autoPassword,
    },
    ctx,
  );
  try {
    const user = await ctx.stores.users.create({ ...built, accountEnabled: form.accountEnabled }, generatedPassword ?? form.password);
    return { ok: true, value: { user, generatedPassword } };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'IDP_USER_EXISTS') throw err;
    return refuse([buildFieldError('upnLocal', 'user-exists', err.message)]);
  }
}
