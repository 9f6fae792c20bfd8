/**
 * What the SSO log's report page shows of one exchange beyond its checks: which elements carry a
 * signature, the pretty-printed XML cut so those IDs can be marked, and the `mock-mimecast check`
 * command that re-runs the checks offline on the downloaded capture. Pure: the caller reads the
 * trace and the account's settings and passes them in.
 */
import { NS } from '../saml/constants.js';
import { isWhiteSpace } from '../saml/email-address.js';
import { descendantElements, parseXmlSafely, readAttribute } from '../saml/xml.js';
import type { AccountUrls, AuthProfile } from './accounts.js';
import type { Trace } from './traces.js';

/** An element that carries an enveloped ds:Signature, and what its Reference points at. */
export interface SignedElement {
  element: string;
  id: string | null;
  reference: string | null;
}

/** One stretch of the pretty-printed XML; `mark` stretches are the signed element's ID and the Reference to it. */
export interface XmlSegment {
  text: string;
  mark: boolean;
}

/** The account's values the check command repeats; null when the trace resolved to no account. */
export interface CheckCommandSetup {
  profile: Pick<AuthProfile, 'metadataUrl' | 'issuerUrl'> | null;
  urls: Pick<AccountUrls, 'localAcsUrl' | 'identifier'> | null;
  /** No trailing slash; the ACS named when there is no account. */
  publicBaseUrl: string;
}

/** The command line, and whether it reads a certificate file the person must save first. */
export interface CheckCommand {
  line: string;
  needsCertFile: boolean;
}

/**
 * The elements that carry a signature, read from the stored XML with the safe parser, in document
 * order. Display only: whether a signature verifies and covers the right assertion is the signature
 * check's verdict. XML that does not parse (or is absent) has none.
 */
export function findSignedElements(xml: string | null): SignedElement[] {
  if (xml === null) return [];
  let doc: Document;
  try {
    doc = parseXmlSafely(xml);
  } catch {
    return [];
  }
  return descendantElements(doc, NS.ds, 'Signature').map((signature) => {
    const parent = signature.parentNode as Element;
    const reference = descendantElements(signature, NS.ds, 'Reference')[0];
    return { element: parent.localName, id: readAttribute(parent, 'ID'), reference: reference ? readAttribute(reference, 'URI') : null };
  });
}

/**
 * Splits the pretty-printed XML so the template can wrap the signed elements' `ID="…"` and the
 * `URI="#…"` that references them in <mark>. Every segment stays text and is escaped on output;
 * joined again, the segments are `text` unchanged.
 */
export function markSignedIds(text: string, ids: readonly string[]): XmlSegment[] {
  if (ids.length === 0) return [{ text, mark: false }];
  // A scan from each `=` rather than a pattern built from the ids: the ids come from the message, and a
  // pattern made of them is neither fixed nor checked.
  const wanted = new Set(ids);
  const segments: XmlSegment[] = [];
  let last = 0;
  for (let eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
    const found = findMarkedAttribute(text, eq, wanted);
    if (found === null) continue;
    segments.push({ text: text.slice(last, found.start), mark: false }, { text: text.slice(found.start, found.end), mark: true });
    last = found.end;
    eq = found.end - 1;
  }
  segments.push({ text: text.slice(last), mark: false });
  return segments;
}

/**
 * The ` ID="<id>"` or ` URI="#<id>"` (either quote, white space before the name) whose `=` is at
 * `eq`, when the id is one of `wanted`; null when the attribute there is anything else.
 */
function findMarkedAttribute(text: string, eq: number, wanted: ReadonlySet<string>): { start: number; end: number } | null {
  const isUri = eq >= 3 && text.startsWith('URI', eq - 3);
  const start = isUri ? eq - 3 : eq - 2;
  if (start < 1 || (!isUri && !text.startsWith('ID', start)) || !isWhiteSpace(text.charCodeAt(start - 1))) return null;
  const quote = text.charAt(eq + 1);
  if (quote !== '"' && quote !== "'") return null;
  if (isUri && text.charAt(eq + 2) !== '#') return null;
  const valueStart = eq + (isUri ? 3 : 2);
  const close = text.indexOf(quote, valueStart);
  return close >= 0 && wanted.has(text.slice(valueStart, close)) ? { start, end: close + 1 } : null;
}

/** The capture's file name; the trace id is reduced to characters safe in a header and a shell. */
export function buildCaptureFileName(traceId: string): string {
  return `mimecast-trace-${traceId.replace(/[^A-Za-z0-9._-]/g, '_')}.txt`;
}

/** A value for a POSIX shell command line, single-quoted. */
function quoteForShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `mock-mimecast check` command that re-runs this response's checks offline on the downloaded
 * capture, with the account's values and the time it arrived: the profile's Metadata URL when it
 * has one, else a certificate file and its Issuer URL. Null for messages other than responses.
 */
export function buildCheckCommand(trace: Pick<Trace, 'id' | 'kind' | 'createdAt'>, setup: CheckCommandSetup): CheckCommand | null {
  if (trace.kind !== 'response') return null;
  const { profile, urls } = setup;
  const parts = ['mock-mimecast', 'check', buildCaptureFileName(trace.id)];
  const needsCertFile = !profile?.metadataUrl;
  if (profile?.metadataUrl) parts.push('--metadata', quoteForShell(profile.metadataUrl));
  else parts.push('--cert', 'idp-certificate.pem', ...(profile?.issuerUrl ? ['--issuer', quoteForShell(profile.issuerUrl)] : []));
  parts.push('--acs', quoteForShell(urls?.localAcsUrl ?? `${setup.publicBaseUrl}/login/saml`));
  parts.push('--audience', quoteForShell(urls?.identifier ?? 'https://eu-api.mimecast.com/sso/<ACCOUNTCODE>'));
  parts.push('--now', quoteForShell(trace.createdAt));
  return { line: parts.join(' '), needsCertFile };
}

/** What a trace holds, in the words the SSO log uses; the direction follows the outcome ('sent' = by the SP). */
export function describeTraceKind(trace: Pick<Trace, 'kind' | 'outcome'>): string {
  const sent = trace.outcome === 'sent';
  if (trace.kind === 'authn-request') return 'AuthnRequest sent to the IdP';
  if (trace.kind === 'response') return 'SAML response from the IdP';
  if (trace.kind === 'logout-request') return sent ? 'LogoutRequest sent to the IdP' : 'LogoutRequest from the IdP';
  return sent ? 'LogoutResponse sent to the IdP' : 'LogoutResponse from the IdP';
}

/** An ISO instant as the SSO log's link names read it: `2027-03-01 10:02:03 UTC`. */
function formatLogTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/**
 * The accessible name of a trace's "Open" link in the SSO log: what it opens, for whom, and when, so
 * a list of links read out of context still tells the rows apart. Starts with the visible "Open".
 */
export function describeTraceLink(trace: Pick<Trace, 'kind' | 'outcome' | 'createdAt' | 'accountCode' | 'summary'>): string {
  const who = trace.summary.nameId ?? (trace.accountCode === null ? null : `account ${trace.accountCode}`);
  const kind = describeTraceKind(trace);
  return `Open the trace of the ${kind}${who === null ? '' : ` for ${who}`} at ${formatLogTime(trace.createdAt)}`;
}

/** How the report labels a trace's message ID and its checks: requests the SP sends are not checked. */
export interface TraceLabels {
  /** "Request ID" for AuthnRequests and LogoutRequests, "Response ID" for answers. */
  idLabel: 'Request ID' | 'Response ID';
  /** Said instead of a pass/fail tally when no check ran; null when checks ran. */
  noChecksNote: string | null;
}

/** The report's labels for one trace. */
export function describeTraceLabels(trace: Pick<Trace, 'kind' | 'outcome' | 'checks'>): TraceLabels {
  const idLabel = trace.kind === 'authn-request' || trace.kind === 'logout-request' ? 'Request ID' : 'Response ID';
  if (trace.checks.length > 0) return { idLabel, noChecksNote: null };
  const kind = describeTraceKind(trace);
  const noChecksNote =
    trace.outcome === 'sent' ? `${kind}: no checks run on messages the SP sends.` : `${kind}: no checks ran on this message.`;
  return { idLabel, noChecksNote };
}
