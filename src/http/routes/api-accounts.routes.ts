import { Router } from 'express';
import {
  createAccount,
  deleteAccountByCode,
  describeAccount,
  requireAccount,
  requireProfile,
  saveProfileFields,
  updateAccountFields,
} from '../../core/sp/admin.js';
import { importProfileMetadata } from '../../core/sp/profile-import.js';
import { describeProfile } from '../../core/sp/profiles.js';
import { createAccountSchema, patchAccountSchema, suggestAccountCodeHint } from '../schemas/account.schemas.js';
import { importMetadataSchema, profileFieldsSchema } from '../schemas/profile.schemas.js';
import { dropUndefined, parseInput } from '../schemas/validate.js';
import type { RouteDeps } from './route-deps.js';

/** /api/accounts and /api/accounts/:code/profile. */
export function createApiAccountsRouter({ ctx }: RouteDeps): Router {
  const router = Router();

  router.get('/accounts', async (_req, res) => {
    const accounts = await ctx.stores.accounts.list();
    res.json({ accounts: await Promise.all(accounts.map((a) => describeAccount(ctx, a))) });
    return;
  });

  router.post('/accounts', async (req, res) => {
    const input = parseInput(createAccountSchema, req.body, suggestAccountCodeHint(req.body));
    const account = await createAccount(ctx, dropUndefined(input));
    res
      .status(201)
      .location(`/api/accounts/${encodeURIComponent(account.code)}`)
      .json(await describeAccount(ctx, account));
    return;
  });

  router.get('/accounts/:code', async (req, res) => {
    res.json(await describeAccount(ctx, await requireAccount(ctx, req.params.code)));
    return;
  });

  router.patch('/accounts/:code', async (req, res) => {
    const patch = dropUndefined(parseInput(patchAccountSchema, req.body));
    res.json(await describeAccount(ctx, await updateAccountFields(ctx, req.params.code, patch)));
    return;
  });

  router.delete('/accounts/:code', async (req, res) => {
    await deleteAccountByCode(ctx, req.params.code);
    res.status(204).end();
    return;
  });

  router.get('/accounts/:code/profile', async (req, res) => {
    res.json(describeProfile(await requireProfile(ctx, req.params.code), ctx.clock.now()));
    return;
  });

  router.put('/accounts/:code/profile', async (req, res) => {
    const fields = dropUndefined(parseInput(profileFieldsSchema, req.body));
    const profile = await saveProfileFields(ctx, req.params.code, fields);
    res.json(describeProfile(profile, ctx.clock.now()));
    return;
  });

  router.post('/accounts/:code/profile/import-metadata', async (req, res) => {
    const source = parseInput(importMetadataSchema, req.body);
    const result = await importProfileMetadata(ctx, req.params.code, source);
    res.json({ ...result, profile: describeProfile(result.profile, ctx.clock.now()) });
    return;
  });

  return router;
}
