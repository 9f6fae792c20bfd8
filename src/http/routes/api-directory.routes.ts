import { Router } from 'express';
import {
  addDirectoryUser,
  removeDirectoryUser,
  requireAccount,
  requireDirectoryUser,
  toPublicUser,
  updateDirectoryUser,
} from '../../core/sp/admin.js';
import { createDirectoryUserSchema, patchDirectoryUserSchema } from '../schemas/directory.schemas.js';
import { dropUndefined, parseInput } from '../schemas/validate.js';
import type { RouteDeps } from './route-deps.js';

/** /api/accounts/:code/directory: the account's Internal Directory. Passwords go in, never out. */
export function createApiDirectoryRouter({ ctx }: RouteDeps): Router {
  const router = Router();

  router.get('/accounts/:code/directory', async (req, res) => {
    const account = await requireAccount(ctx, req.params.code);
    const users = await ctx.stores.directory.list(account.code);
    res.json({ users: users.map(toPublicUser) });
    return;
  });

  router.post('/accounts/:code/directory', async (req, res) => {
    const input = dropUndefined(parseInput(createDirectoryUserSchema, req.body));
    const user = await addDirectoryUser(ctx, req.params.code, input);
    const location = `/api/accounts/${encodeURIComponent(user.accountCode)}/directory/${encodeURIComponent(user.email)}`;
    res.status(201).location(location).json(toPublicUser(user));
    return;
  });

  router.get('/accounts/:code/directory/:email', async (req, res) => {
    res.json(toPublicUser(await requireDirectoryUser(ctx, req.params.code, req.params.email)));
    return;
  });

  router.patch('/accounts/:code/directory/:email', async (req, res) => {
    const patch = dropUndefined(parseInput(patchDirectoryUserSchema, req.body));
    res.json(toPublicUser(await updateDirectoryUser(ctx, req.params.code, req.params.email, patch)));
    return;
  });

  router.delete('/accounts/:code/directory/:email', async (req, res) => {
    await removeDirectoryUser(ctx, req.params.code, req.params.email);
    res.status(204).end();
    return;
  });

  return router;
}
