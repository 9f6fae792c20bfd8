import { Router } from 'express';
import { AppError } from '../../core/errors.js';
import { NS } from '../../core/saml/constants.js';
import { descendantElements, parseXmlSafely, readAttribute } from '../../core/saml/xml.js';
import type { SpContext } from '../../core/sp/context.js';
import { selectHeadlineFailure, type Trace } from '../../core/sp/traces.js';
import { formatXmlForDisplay, renderPage } from '../render.js';
import { parseFormFields } from '../schemas/console-form.js';
import { consoleTracesQuerySchema, TRACE_FILTER_HINTS } from '../schemas/console-traces.schemas.js';
import { describeAccount } from '../../core/sp/admin.js';
import { buildBreadcrumbs } from './console-account.routes.js';
import { readParam, readSingleQuery, type RouteDeps } from './route-deps.js';

/** The console's list shows one page; the API pages further. */
const PAGE_SIZE = 100;

/** An element that carries an enveloped ds:Signature, and what its Reference points at. */
interface SignedElement {
  element: string;
  id: string | null;
  reference: string | null;
}

/** One stretch of the pretty-printed XML; `mark` stretches are the signed element's ID and the Reference to it. */
interface XmlSegment {
  text: string;
  mark: boolean;
}

/**
 * The elements that carry a signature, read from the stored XML with the safe parser. Display only:
 * whether a signature verifies and covers the right assertion is the signature check's verdict.
 */
function findSignedElements(xml: string | null): SignedElement[] {
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
 * `URI="#…"` that references them in <mark>. Every segment stays text and is escaped on output.
 */
function markSignedIds(text: string, ids: readonly string[]): XmlSegment[] {
  if (ids.length === 0) return [{ text, mark: false }];
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<=\\s)(?:ID=(["'])(?:${escaped.join('|')})\\1|URI=(["'])#(?:${escaped.join('|')})\\2)`, 'g');
  const segments: XmlSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    segments.push({ text: text.slice(last, match.index), mark: false }, { text: match[0], mark: true });
    last = match.index + match[0].length;
  }
  segments.push({ text: text.slice(last), mark: false });
  return segments;
}

/** The capture's file name; the trace id is reduced to characters safe in a header and a shell. */
function buildCaptureFileName(traceId: string): string {
  return `mimecast-trace-${traceId.replace(/[^A-Za-z0-9._-]/g, '_')}.txt`;
}

/** A value for a POSIX shell command line, single-quoted. */
function quoteForShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `mock-mimecast check` command that re-runs this response's checks offline on the downloaded
 * capture, with the account's values and the time it arrived. Null for messages other than responses.
 */
async function buildCheckCommand(ctx: SpContext, trace: Trace): Promise<{ line: string; needsCertFile: boolean } | null> {
  if (trace.kind !== 'response') return null;
  const account = trace.accountCode === null ? null : await ctx.stores.accounts.get(trace.accountCode);
  const profile = account === null ? null : await ctx.stores.profiles.get(account.code);
  const urls = account === null ? null : (await describeAccount(ctx, account)).urls;
  const parts = ['mock-mimecast', 'check', buildCaptureFileName(trace.id)];
  const needsCertFile = !profile?.metadataUrl;
  if (profile?.metadataUrl) parts.push('--metadata', quoteForShell(profile.metadataUrl));
  else parts.push('--cert', 'idp-certificate.pem', ...(profile?.issuerUrl ? ['--issuer', quoteForShell(profile.issuerUrl)] : []));
  parts.push('--acs', quoteForShell(urls?.localAcsUrl ?? `${ctx.settings.publicBaseUrl}/login/saml`));
  parts.push('--audience', quoteForShell(urls?.identifier ?? 'https://eu-api.mimecast.com/sso/<ACCOUNTCODE>'));
  parts.push('--now', quoteForShell(trace.createdAt));
  return { line: parts.join(' '), needsCertFile };
}

/** The trace with this id, or TRACE_NOT_FOUND. */
async function requireTrace(ctx: SpContext, id: string): Promise<Trace> {
  const trace = await ctx.stores.traces.get(id);
  if (trace === null) throw new AppError('TRACE_NOT_FOUND', undefined, { details: { id } });
  return trace;
}

/** The SSO log: a filterable list, the report of one exchange, and its capture for `mock-mimecast check`. */
export function createTracesRouter({ ctx, views, consoleGuard }: RouteDeps): Router {
  const router = Router();

  router.get('/traces', consoleGuard, async (req, res) => {
    const form = {
      account: readSingleQuery(req.query.account) ?? '',
      outcome: readSingleQuery(req.query.outcome) ?? '',
      since: readSingleQuery(req.query.since) ?? '',
      until: readSingleQuery(req.query.until) ?? '',
    };
    const parsed = parseFormFields(consoleTracesQuerySchema, form, TRACE_FILTER_HINTS);
    const accounts = await ctx.stores.accounts.list();
    const chosen = parsed.ok && parsed.value.account !== undefined ? accounts.find((a) => a.code === parsed.value.account) : undefined;
    // Filtered to a known account, the log is drawn as that account's console section.
    const page = { form, accounts, pageSize: PAGE_SIZE, section: 'sso-log' };
    const frameData = chosen === undefined ? {} : { account: await describeAccount(ctx, chosen), breadcrumbs: buildBreadcrumbs(chosen.code, 'sso-log') };
    if (!parsed.ok) {
      renderPage(res, views, 'traces.njk', { ...page, ...frameData, traces: [], errors: parsed.errors }, 400);
      return;
    }
    const { account, outcome, since, until } = parsed.value;
    const traces = await ctx.stores.traces.list({
      limit: PAGE_SIZE,
      ...(account === undefined ? {} : { accountCode: account }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
    });
    renderPage(res, views, 'traces.njk', { ...page, ...frameData, traces, errors: {} });
    return;
  });

  router.get('/traces/:id', consoleGuard, async (req, res) => {
    const trace = await requireTrace(ctx, readParam(req.params.id));
    // The same headline as the failure page and the SSO log: the specific rule, not the generic gate.
    const failing = selectHeadlineFailure(trace.checks);
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const check of trace.checks) counts[check.status]++;
    const signed = findSignedElements(trace.xml);
    const xmlSegments = trace.xml === null ? [] : markSignedIds(formatXmlForDisplay(trace.xml), signed.flatMap((s) => (s.id === null ? [] : [s.id])));
    renderPage(res, views, 'trace.njk', {
      trace,
      failing,
      counts,
      signed,
      signatureCheck: trace.checks.find((c) => c.id === 'signature') ?? null,
      xmlSegments,
      captureFileName: buildCaptureFileName(trace.id),
      checkCommand: await buildCheckCommand(ctx, trace),
    });
    return;
  });

  // The raw message as a file `mock-mimecast check` reads (base64, as the HTTP-POST binding carried it).
  router.get('/traces/:id/capture', consoleGuard, async (req, res) => {
    const trace = await requireTrace(ctx, readParam(req.params.id));
    res.attachment(buildCaptureFileName(trace.id));
    res.type('text/plain; charset=utf-8');
    res.send(`${trace.raw}\n`);
    return;
  });

  return router;
}
