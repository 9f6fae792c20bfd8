import { Router } from 'express';
import { AppError } from '../../core/errors.js';
import { tracePageQuerySchema } from '../schemas/trace.schemas.js';
import { parseInput } from '../schemas/validate.js';
import { renderPage } from '../render.js';
import { readParam, type RouteDeps } from './route-deps.js';

/** The console's list shows one page; the API pages further. */
const PAGE_SIZE = 100;

/** The SSO log: a filterable list and the report of one exchange. */
export function createTracesRouter({ ctx, views, consoleGuard }: RouteDeps): Router {
  const router = Router();

  router.get('/traces', consoleGuard, async (req, res) => {
    const filters = parseInput(tracePageQuerySchema, req.query);
    const traces = await ctx.stores.traces.list({
      limit: PAGE_SIZE,
      ...(filters.account === undefined ? {} : { accountCode: filters.account }),
      ...(filters.outcome === undefined ? {} : { outcome: filters.outcome }),
    });
    const accounts = await ctx.stores.accounts.list();
    renderPage(res, views, 'traces.njk', { traces, accounts, filters, pageSize: PAGE_SIZE });
    return;
  });

  router.get('/traces/:id', consoleGuard, async (req, res) => {
    const trace = await ctx.stores.traces.get(readParam(req.params.id));
    if (trace === null) throw new AppError('TRACE_NOT_FOUND', undefined, { details: { id: req.params.id } });
    const failing = trace.checks.find((c) => c.status === 'fail');
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const check of trace.checks) counts[check.status]++;
    renderPage(res, views, 'trace.njk', { trace, failing, counts });
    return;
  });

  return router;
}
