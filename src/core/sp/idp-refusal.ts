/**
 * What Mimecast's failure page and the report say when the IdP refused the sign-in, that is when
 * its Response carries a StatusCode other than Success (SAML Core 3.2.2.2): the IdP's status codes and
 * its own StatusMessage words, then the one setting that fixes it and where that setting lives.
 * Entra writes "AADSTSnnnnn: <text>" as the StatusMessage's first line; the fix is looked up by that
 * number (or by the second-level code), and every other refusal points at the IdP's sign-in logs, so
 * the rule holds for any error an IdP can send. Pure.
 */
import { STATUS } from '../saml/constants.js';

/** The Status of a refusal as the Response carried it (trace summary `idpStatus`). */
export interface IdpStatus {
  code: string;
  subCode?: string;
  message?: string;
}

/** The setting that fixes a refusal and where it lives. */
export interface RefusalFix {
  /** Stable name of the fix, for tests and for the page's data attributes. */
  id: string;
  /** Whose console holds the setting. */
  product: 'mimecast' | 'entra';
  /** What to change, in the product's own words. */
  setting: string;
  /** Where it lives: the console's navigation path. */
  where: string;
  /** The Mimecast console section that holds it, linked when the account is known. */
  section?: 'authentication-profiles' | 'internal-directories';
}

/** A refusal, ready to draw. */
export interface IdpRefusal {
  statusCode: string;
  /** The last part of the code's URN, e.g. Requester. */
  statusName: string;
  subStatusCode: string | null;
  subStatusName: string | null;
  /** The StatusMessage's first line (Entra: "AADSTSnnnnn: text"); null when the IdP sent none. */
  headline: string | null;
  /** The StatusMessage's other lines (Entra: Trace ID, Correlation ID, Timestamp). */
  details: string[];
  /** The AADSTS number the StatusMessage names, or null. */
  aadsts: string | null;
  fix: RefusalFix;
}

const ENTRA_APP = 'Microsoft Entra admin center › Enterprise applications › Mimecast';
const MIMECAST_PROFILES = 'Mimecast Administration Console › Administration › Services › Applications › Authentication Profiles';

/** The fix per AADSTS number Mimecast's administrators meet. */
// biome-ignore format: one fix a line keeps the table scannable.
const AADSTS_FIXES: Readonly<Record<string, RefusalFix>> = {
  '75011': { id: 'authn-context', product: 'mimecast', section: 'authentication-profiles', setting: 'Untick "Use Password protected Context" and "Use Integrated Authentication Context" on the Authentication Profile: they ask Entra for one authentication method, and Entra refuses a user who signed in another way (Windows Hello, a security key, a passcode).', where: MIMECAST_PROFILES },
  '50011': { id: 'reply-url', product: 'entra', setting: "Reply URL (Assertion Consumer Service URL): add Mimecast's ACS URL (…/login/saml, as the console's Set up in Entra page shows it) and make it the default.", where: `${ENTRA_APP} › Single sign-on › Basic SAML Configuration` },
  '700016': { id: 'identifier', product: 'entra', setting: "Identifier (Entity ID): the account's Identifier (…/sso/<account code>), exactly as the console's Set up in Entra page shows it; and the profile's Login URL must name the same tenant.", where: `${ENTRA_APP} › Single sign-on › Basic SAML Configuration` },
  '50105': { id: 'user-assignment', product: 'entra', setting: 'Assign the user to the app (Add user/group › Assign), or set "Assignment required?" to No under Properties.', where: `${ENTRA_APP} › Users and groups` },
  '50034': { id: 'user-not-found', product: 'entra', setting: 'The address typed at sign-in is no user of the tenant: create the user (New user) or sign in with the user principal name of an existing one.', where: 'Microsoft Entra admin center › Users › All users' },
  '50126': { id: 'password', product: 'entra', setting: "The password was wrong: sign in with the user's current password, or reset it.", where: 'Microsoft Entra admin center › Users › All users › the user › Reset password' },
  '50057': { id: 'user-disabled', product: 'entra', setting: 'Account enabled: Yes for the user.', where: 'Microsoft Entra admin center › Users › All users › the user › Properties' },
  '50058': { id: 'no-session', product: 'entra', setting: 'The request asked for a sign-in without a prompt (IsPassive) and nobody was signed in to Entra in this browser: sign in to Entra first (My Apps), then start again.', where: 'Microsoft Entra: the sign-in page, or My Apps (/myapps)' },
  '500121': { id: 'second-factor', product: 'entra', setting: 'The second factor was denied or not completed: start again and approve the sign-in request.', where: "The user's Authenticator app (Microsoft Entra admin center › Users › the user › Authentication methods)" },
  '7000112': { id: 'app-disabled', product: 'entra', setting: '"Enabled for users to sign-in?": Yes.', where: `${ENTRA_APP} › Properties` },
  '90002': { id: 'tenant', product: 'mimecast', section: 'authentication-profiles', setting: "The Login URL names a tenant that does not exist: Import the App Federation Metadata Url again so Issuer URL and Login URL name the app's tenant.", where: MIMECAST_PROFILES },
};

/** Fixes for a second-level code when the StatusMessage names no AADSTS number. */
const SUB_STATUS_FIXES: Readonly<Record<string, string>> = {
  [STATUS.noPassive]: '50058',
  [STATUS.noAuthnContext]: '75011',
};

/** Any other refusal: the IdP knows why, and its sign-in logs say it. */
const GENERIC_FIX: RefusalFix = {
  id: 'idp-sign-in-logs',
  product: 'entra',
  setting:
    'The identity provider refused the sign-in for its own reason: open its sign-in logs, find this attempt (by the Correlation ID or the time) and change what its failure reason names.',
  where: "The IdP's sign-in logs (Microsoft Entra admin center › Monitoring & health › Sign-in logs)",
};

/** Longest first line kept, and at most this many further lines of this length. */
const MAX_HEADLINE_CHARS = 1000;
const MAX_DETAIL_LINES = 6;
const MAX_DETAIL_LINE_CHARS = 200;

function readStatusName(uri: string): string {
  return uri.slice(uri.lastIndexOf(':') + 1) || uri;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** The AADSTS number in a StatusMessage ("AADSTS75011: …"), or null. */
export function readAadstsCode(message: string | null | undefined): string | null {
  return message?.match(/AADSTS(\d{1,10})/)?.[1] ?? null;
}

/** The fix for a refusal: by AADSTS number, then by second-level code, else the IdP's sign-in logs. */
export function chooseRefusalFix(aadsts: string | null, subCode: string | null): RefusalFix {
  const byNumber = aadsts === null ? undefined : AADSTS_FIXES[aadsts];
  if (byNumber) return byNumber;
  const viaSub = subCode === null ? undefined : SUB_STATUS_FIXES[subCode];
  return (viaSub === undefined ? undefined : AADSTS_FIXES[viaSub]) ?? GENERIC_FIX;
}

/**
 * The refusal behind a Status, or null when the status is Success or absent (then there was no
 * refusal: the response's own checks say what is wrong).
 */
export function describeIdpRefusal(status: IdpStatus | null | undefined): IdpRefusal | null {
  if (!status?.code || status.code === STATUS.success) return null;
  const lines = (status.message ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const aadsts = readAadstsCode(status.message);
  const subCode = status.subCode ?? null;
  return {
    statusCode: status.code,
    statusName: readStatusName(status.code),
    subStatusCode: subCode,
    subStatusName: subCode === null ? null : readStatusName(subCode),
    headline: lines[0] === undefined ? null : clip(lines[0], MAX_HEADLINE_CHARS),
    details: lines.slice(1, 1 + MAX_DETAIL_LINES).map((line) => clip(line, MAX_DETAIL_LINE_CHARS)),
    aadsts,
    fix: chooseRefusalFix(aadsts, subCode),
  };
}
