import { Router } from 'express';
import { describeAccount, findAccountSetup, requireTrace } from '../../core/sp/admin.js';
import {
  buildCaptureFileName,
  buildCheckCommand,
  describeTraceLabels,
  describeTraceLink,
  findSignedElements,
  markSignedIds,
} from '../../core/sp/trace-view.js';
import { selectHeadlineFailure } from '../../core/sp/traces.js';
import { formatXmlForDisplay, renderPage } from '../render.js';
import { parseFormFields } from '../schemas/console-form.js';
import { consoleTracesQuerySchema, TRACE_FILTER_HINTS } from '../schemas/console-traces.schemas.js';
import { describeFailure } from './acs.routes.js';
import { buildBreadcrumbs } from './console-account.routes.js';
import { type RouteDeps, readParam, readSingleQuery } from './route-deps.js';

/** The console's list shows one page; the API pages further. */
const PAGE_SIZE = 100;

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
    const frameData =
      chosen === undefined ? {} : { account: await describeAccount(ctx, chosen), breadcrumbs: buildBreadcrumbs(chosen.code, 'sso-log') };
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
    const rows = traces.map((trace) => ({ ...trace, linkName: describeTraceLink(trace) }));
    renderPage(res, views, 'traces.njk', { ...page, ...frameData, traces: rows, errors: {} });
    return;
  });

  router.get('/traces/:id', consoleGuard, async (req, res) => {
    const trace = await requireTrace(ctx, readParam(req.params.id));
    // The same headline as the failure page and the SSO log: the specific rule, not the generic gate.
    const failing = selectHeadlineFailure(trace.checks);
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const check of trace.checks) counts[check.status]++;
    const setup = await findAccountSetup(ctx, trace.accountCode);
    const signed = findSignedElements(trace.xml);
    const xmlSegments =
      trace.xml === null
        ? []
        : markSignedIds(
            formatXmlForDisplay(trace.xml),
            signed.flatMap((s) => (s.id === null ? [] : [s.id])),
          );
    renderPage(res, views, 'trace.njk', {
      ...describeFailure(trace),
      failing,
      labels: describeTraceLabels(trace),
      counts,
      signed,
      signatureCheck: trace.checks.find((c) => c.id === 'signature') ?? null,
      xmlSegments,
      captureFileName: buildCaptureFileName(trace.id),
      checkCommand: buildCheckCommand(trace, {
        profile: setup?.profile ?? null,
        urls: setup?.account.urls ?? null,
        publicBaseUrl: ctx.settings.publicBaseUrl,
      }),
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
