/**
 * The mock Entra's JSON API: tenants, users, Mimecast apps and their settings, assignments and
 * certificates. Parse, call the core, send; errors are `{ error, message, hint }`.
 */
import { Router } from 'express';
import { AppError } from '../../../core/errors.js';
import {
  activateCertificateOfApp,
  addCertificateToApp,
  assignUserToApp,
  createMimecastApp,
  createUser,
  presentApp,
  requireApp,
  requireTenant,
  requireUser,
  unassignUserFromApp,
  updateAppSettings,
} from '../../../core/idp/admin.js';
import type { AppSettingsPatch } from '../../../core/idp/apps.js';
import { listSignInLogs, SIGN_IN_LOG_RETENTION } from '../../../core/idp/sign-in-log.js';
import { createTenantWithKeys } from '../../../core/idp/tenants.js';
import { foldAsciiCase } from '../../../core/saml/ascii-case.js';
import { createJsonOnlyMiddleware, createJsonParser } from '../../middleware/body.middleware.js';
import { createMethodNotAllowedHandler } from '../../route-inventory.js';
import { dropUndefined, parseInput } from '../../schemas/validate.js';
import {
  appSettingsSchema,
  assignmentSchema,
  newAppSchema,
  newCertificateSchema,
  newTenantSchema,
  newUserSchema,
} from '../idp-api.schemas.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

function toSettingsPatch(body: Record<string, unknown>): AppSettingsPatch {
  const { template: _t, appId: _a, ...rest } = dropUndefined(body);
  return rest as AppSettingsPatch;
}

/** Mounts the API routes (the caller mounts the router under /api behind the token guard). */
export function createIdpApiRouter(deps: IdpRouteDeps, siblings: readonly Router[] = []): Router {
  const { ctx } = deps;
  const router = Router();
  router.use(createJsonOnlyMiddleware(), createJsonParser());
  const p = (req: { params: Record<string, unknown> }, name: string) => String(req.params[name]);

  router.get('/tenants', async (_req, res) => {
    res.json(await ctx.stores.tenants.list());
  });
  router.post('/tenants', async (req, res) => {
    res.status(201).json(await createTenantWithKeys(ctx, dropUndefined(parseInput(newTenantSchema, req.body))));
  });
  router.get('/tenants/:tenantId', async (req, res) => {
    res.json(await requireTenant(ctx, p(req, 'tenantId')));
  });

  router.get('/tenants/:tenantId/users', async (req, res) => {
    const tenant = await requireTenant(ctx, p(req, 'tenantId'));
    res.json(await ctx.stores.users.list(tenant.tenantId));
  });
  router.post('/tenants/:tenantId/users', async (req, res) => {
    const body = dropUndefined(parseInput(newUserSchema, req.body));
    res.status(201).json(await createUser(ctx, p(req, 'tenantId'), body));
  });
  router.delete('/tenants/:tenantId/users/:upn', async (req, res) => {
    const tenant = await requireTenant(ctx, p(req, 'tenantId'));
    const user = await requireUser(ctx, tenant.tenantId, p(req, 'upn'));
    await ctx.stores.users.delete(tenant.tenantId, user.userPrincipalName);
    res.status(204).end();
  });

  router.get('/tenants/:tenantId/sign-in-logs', async (req, res) => {
    const tenant = await requireTenant(ctx, p(req, 'tenantId'));
    res.json(await listSignInLogs(ctx, tenant.tenantId, readTop(req.query.top)));
  });

  router.get('/tenants/:tenantId/apps', async (req, res) => {
    const tenant = await requireTenant(ctx, p(req, 'tenantId'));
    res.json((await ctx.stores.apps.list(tenant.tenantId)).map((app) => presentApp(ctx, app)));
  });
  router.post('/tenants/:tenantId/apps', async (req, res) => {
    const body = parseInput(newAppSchema, req.body);
    const patch = toSettingsPatch(body);
    const app = await createMimecastApp(ctx, p(req, 'tenantId'), { ...patch, ...(body.appId ? { appId: foldAsciiCase(body.appId) } : {}) });
    res.status(201).json(presentApp(ctx, app));
  });
  router.get('/tenants/:tenantId/apps/:appId', async (req, res) => {
    res.json(presentApp(ctx, await requireApp(ctx, p(req, 'tenantId'), p(req, 'appId'))));
  });
  router.patch('/tenants/:tenantId/apps/:appId', async (req, res) => {
    const body = parseInput(appSettingsSchema, req.body);
    const patch = toSettingsPatch(body);
    res.json(presentApp(ctx, await updateAppSettings(ctx, p(req, 'tenantId'), p(req, 'appId'), patch)));
  });

  router.post('/tenants/:tenantId/apps/:appId/assignments', async (req, res) => {
    const body = parseInput(assignmentSchema, req.body);
    res.status(201).json(presentApp(ctx, await assignUserToApp(ctx, p(req, 'tenantId'), p(req, 'appId'), body.userPrincipalName)));
  });
  router.delete('/tenants/:tenantId/apps/:appId/assignments/:upn', async (req, res) => {
    res.json(presentApp(ctx, await unassignUserFromApp(ctx, p(req, 'tenantId'), p(req, 'appId'), p(req, 'upn'))));
  });

  router.post('/tenants/:tenantId/apps/:appId/certificates', async (req, res) => {
    const body = parseInput(newCertificateSchema, req.body ?? {});
    const given = body.pem !== undefined && body.keyPem !== undefined ? { pem: body.pem, keyPem: body.keyPem } : null;
    const { app, certificate } = await addCertificateToApp(ctx, p(req, 'tenantId'), p(req, 'appId'), given);
    res.status(201).json({ certificateId: certificate.id, app: presentApp(ctx, app) });
  });
  router.post('/tenants/:tenantId/apps/:appId/certificates/:certId/activate', async (req, res) => {
    res.json(presentApp(ctx, await activateCertificateOfApp(ctx, p(req, 'tenantId'), p(req, 'appId'), p(req, 'certId'))));
  });

  router.use(createMethodNotAllowedHandler(router, ...siblings));
  router.use((_req, _res, next) => next(new AppError('NOT_FOUND')));
  return router;
}

/** `top` of the sign-in logs: absent or empty means the default; anything else must be a whole number from 1 to 1000. */
function readTop(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value : '';
  const top = /^[0-9]{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (top >= 1 && top <= SIGN_IN_LOG_RETENTION) return top;
  throw new AppError('VALIDATION_FAILED', 'top must be a whole number from 1 to 1000.', {
    details: [{ path: 'top', problem: 'must be a whole number from 1 to 1000, given once' }],
  });
}
