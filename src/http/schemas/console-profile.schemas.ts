/**
 * The Authentication Profile form of the Administration Console: what the browser posts, the values
 * the form is drawn from, and the conversion to the API's profile fields, whose schema (and so whose
 * rules) it reuses.
 */
import type { AuthProfile } from '../../core/sp/accounts.js';
import { parseFormFields, readFormBody, readFormCheckbox, readFormText } from './console-form.js';
import { profileFieldsSchema } from './profile.schemas.js';

/** The form as drawn and as posted: text as typed, checkboxes as ticked. */
export interface ProfileFormValues {
  description: string;
  enforceAdminConsole: boolean;
  enforcePersonalPortal: boolean;
  enforceEndUserApps: boolean;
  provider: string;
  metadataUrl: string;
  monitorMetadataUrl: boolean;
  issuerUrl: string;
  loginUrl: string;
  logoutUrl: string;
  /** "Identity Provider Certificate (Metadata)": PEM blocks one after another, as pasted or imported. */
  idpCertificates: string;
  usePasswordProtectedContext: boolean;
  useIntegratedAuthContext: boolean;
  allowSingleSignOn: boolean;
  requestBinding: string;
  trustedMetadataCertificates: string;
  acceptEncryptedAssertions: boolean;
}

const CHECKBOXES = [
  'enforceAdminConsole',
  'enforcePersonalPortal',
  'enforceEndUserApps',
  'monitorMetadataUrl',
  'usePasswordProtectedContext',
  'useIntegratedAuthContext',
  'allowSingleSignOn',
  'acceptEncryptedAssertions',
] as const;

/** The fix for each field, in the words of the Entra and Mimecast consoles. */
export const PROFILE_FIELD_HINTS: Record<string, string> = {
  description: 'Give the profile a short name, such as "Entra ID SSO" (at most 200 characters).',
  provider: 'Choose Microsoft Entra ID / Azure Active Directory for an Entra enterprise app.',
  metadataUrl: "Paste the App Federation Metadata Url from the Entra app's SAML Certificates section, then press Import.",
  issuerUrl: "Entra's Microsoft Entra Identifier, https://sts.windows.net/<tenant-id>/ (Import fills it).",
  loginUrl: "Entra's Login URL, https://login.microsoftonline.com/<tenant-id>/saml2 (Import fills it).",
  logoutUrl: "Entra's Logout URL, https://login.microsoftonline.com/<tenant-id>/saml2, or leave it empty (Import fills it).",
  idpCertificates: "Paste Entra's 'Certificate (Base64)' download, or Import the App Federation Metadata Url.",
  requestBinding: 'Choose HTTP-POST, which Mimecast uses, or HTTP-Redirect.',
  trustedMetadataCertificates: 'Choose every certificate of the metadata, or the first only (inferred: the strict case).',
};

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';

/**
 * The PEM blocks of the certificate box; text outside them is kept as one more entry so it is
 * refused, not dropped. Found with indexOf: a lazy `BEGIN[\s\S]*?END` pattern rescans to the end
 * from every BEGIN that has no END after it, which is quadratic on pasted text full of them.
 */
export function splitCertificateText(text: string): string[] {
  const blocks: string[] = [];
  let rest = '';
  let pos = 0;
  for (;;) {
    const begin = text.indexOf(PEM_BEGIN, pos);
    const end = begin < 0 ? -1 : text.indexOf(PEM_END, begin + PEM_BEGIN.length);
    if (end < 0) break;
    rest += text.slice(pos, begin);
    blocks.push(text.slice(begin, end + PEM_END.length));
    pos = end + PEM_END.length;
  }
  rest = (rest + text.slice(pos)).trim();
  return rest === '' ? blocks : [...blocks, rest];
}

/** The certificate box's text for a list of PEMs. */
export function joinCertificates(pems: readonly string[]): string {
  return pems.map((pem) => pem.trim()).join('\n');
}

/** The form filled from a stored profile (or Mimecast's defaults for a new one). */
export function toProfileFormValues(profile: AuthProfile): ProfileFormValues {
  return {
    description: profile.description,
    enforceAdminConsole: profile.enforceAdminConsole,
    enforcePersonalPortal: profile.enforcePersonalPortal,
    enforceEndUserApps: profile.enforceEndUserApps,
    provider: profile.provider,
    metadataUrl: profile.metadataUrl ?? '',
    monitorMetadataUrl: profile.monitorMetadataUrl,
    issuerUrl: profile.issuerUrl ?? '',
    loginUrl: profile.loginUrl ?? '',
    logoutUrl: profile.logoutUrl ?? '',
    idpCertificates: joinCertificates(profile.idpCertificates),
    usePasswordProtectedContext: profile.usePasswordProtectedContext,
    useIntegratedAuthContext: profile.useIntegratedAuthContext,
    allowSingleSignOn: profile.allowSingleSignOn,
    requestBinding: profile.requestBinding,
    trustedMetadataCertificates: profile.trustedMetadataCertificates ?? 'all',
    acceptEncryptedAssertions: profile.acceptEncryptedAssertions === true,
  };
}

/** The form as posted; anything missing or malformed reads as empty (validation then says so). */
export function readProfileForm(body: unknown): ProfileFormValues {
  const form = readFormBody(body);
  const checked = Object.fromEntries(CHECKBOXES.map((name) => [name, readFormCheckbox(form, name)])) as Record<
    (typeof CHECKBOXES)[number],
    boolean
  >;
  return {
    ...checked,
    description: readFormText(form, 'description'),
    provider: readFormText(form, 'provider'),
    metadataUrl: readFormText(form, 'metadataUrl').trim(),
    issuerUrl: readFormText(form, 'issuerUrl').trim(),
    loginUrl: readFormText(form, 'loginUrl').trim(),
    logoutUrl: readFormText(form, 'logoutUrl').trim(),
    idpCertificates: readFormText(form, 'idpCertificates'),
    requestBinding: readFormText(form, 'requestBinding'),
    trustedMetadataCertificates: readFormText(form, 'trustedMetadataCertificates') || 'all',
  };
}

/** An empty box means "not set". */
function readOptionalText(value: string): string | null {
  return value === '' ? null : value;
}

/** The profile fields for saveProfileFields, or the problems beside each field. */
export function parseProfileForm(values: ProfileFormValues) {
  const input = {
    description: values.description,
    enforceAdminConsole: values.enforceAdminConsole,
    enforcePersonalPortal: values.enforcePersonalPortal,
    enforceEndUserApps: values.enforceEndUserApps,
    provider: values.provider,
    metadataUrl: readOptionalText(values.metadataUrl),
    monitorMetadataUrl: values.monitorMetadataUrl,
    issuerUrl: readOptionalText(values.issuerUrl),
    loginUrl: readOptionalText(values.loginUrl),
    logoutUrl: readOptionalText(values.logoutUrl),
    idpCertificates: splitCertificateText(values.idpCertificates),
    usePasswordProtectedContext: values.usePasswordProtectedContext,
    useIntegratedAuthContext: values.useIntegratedAuthContext,
    allowSingleSignOn: values.allowSingleSignOn,
    requestBinding: values.requestBinding,
    trustedMetadataCertificates: values.trustedMetadataCertificates,
    acceptEncryptedAssertions: values.acceptEncryptedAssertions,
  };
  return parseFormFields(profileFieldsSchema, input, PROFILE_FIELD_HINTS);
}
