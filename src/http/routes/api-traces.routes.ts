import { Router } from 'express';
import { requireTrace } from '../../core/sp/admin.js';
import type { Trace } from '../../core/sp/traces.js';
import { traceQuerySchema } from '../schemas/trace.schemas.js';
import { dropEmptyQueryValues, dropUndefined, parseInput } from '../schemas/validate.js';
import type { RouteDeps } from './route-deps.js';

/** The default page when no limit is given. */
const DEFAULT_TRACE_LIMIT = 100;

/** A trace for lists: everything but the raw message and its XML, which can be tens of kB each. */
function summariseTrace(trace: Trace): Omit<Trace, 'raw' | 'xml'> {
  return {
    id: trace.id,
    createdAt: trace.createdAt,
    kind: trace.kind,
    binding: trace.binding,
    accountCode: trace.accountCode,
    outcome: trace.outcome,
    relayState: trace.relayState,
    checks: trace.checks,
    summary: trace.summary,
  };
}

/** /api/traces: every SAML exchange the SP saw, newest first. */
export function createApiTracesRouter({ ctx }: RouteDeps): Router {
  const router = Router();

  router.get('/traces', async (req, res) => {
    const query = dropUndefined(parseInput(traceQuerySchema, dropEmptyQueryValues(req.query)));
    const traces = await ctx.stores.traces.list({ limit: DEFAULT_TRACE_LIMIT, ...query });
    res.json({ traces: traces.map(summariseTrace) });
    return;
  });

  router.get('/traces/:id', async (req, res) => {
    res.json(await requireTrace(ctx, req.params.id));
    return;
  });

  return router;
}
