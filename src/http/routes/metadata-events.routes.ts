import { Router } from 'express';
import { z } from 'zod';
import { requireAccount } from '../../core/sp/admin.js';
import { dropUndefined, parseInput } from '../schemas/validate.js';
import { type RouteDeps, readParam } from './route-deps.js';

/** The largest page; the store clamps to the same bound. */
const MAX_METADATA_EVENT_LIMIT = 500;

/** GET …/metadata-events query; unknown parameters are refused so a typo is not silently ignored. */
const metadataEventQuerySchema = z.strictObject({
  limit: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(MAX_METADATA_EVENT_LIMIT).optional(),
});

/**
 * /api/accounts/:code/metadata-events: what "Monitor Metadata URL" found for the account, newest
 * first — certificates added, removed or activated, Issuer/Login/Logout URL changes, failed fetches.
 * Mounted inside the API router, after the admin token guard.
 */
export function createMetadataEventsRouter({ ctx }: Pick<RouteDeps, 'ctx'>): Router {
  const router = Router();

  router.get('/accounts/:code/metadata-events', async (req, res) => {
    const code = readParam(req.params.code);
    const query = dropUndefined(parseInput(metadataEventQuerySchema, req.query));
    const account = await requireAccount(ctx, code);
    const profile = await ctx.stores.profiles.get(account.code);
    const events = await ctx.stores.metadataEvents.list(account.code, query);
    res.json({
      accountCode: account.code,
      monitorMetadataUrl: profile?.monitorMetadataUrl ?? false,
      metadataUrl: profile?.metadataUrl ?? null,
      events,
    });
    return;
  });

  return router;
}
