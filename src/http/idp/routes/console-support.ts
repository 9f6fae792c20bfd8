/**
 * What the admin console's routes share: reading form fields (the CSRF middleware has parsed the
 * body), finding the tenant and app of the URL, and rendering a console page with its links.
 */
import type { Request, Response } from 'express';
import { requireApp, requireTenant } from '../../../core/idp/admin.js';
import type { EnterpriseApp } from '../../../core/idp/apps.js';
import type { Tenant } from '../../../core/idp/directory.js';
import { type FieldError, keyFieldError } from '../../../core/idp/field-errors.js';
import { renderIdpPage } from '../idp-views.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

/** Longest value kept from any one field; the core applies the real limits. */
const FIELD_MAX = 4096;
/** A pasted certificate is the largest field. */
export const CERTIFICATE_FIELD_MAX = 32 * 1024;
/** Most rows a repeated field keeps. */
const ROWS_MAX = 50;

function readRaw(req: Request, name: string): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body !== undefined && typeof body === 'object' && Object.hasOwn(body, name) ? body[name] : undefined;
}

/** A single field as typed (the first when repeated), '' when absent. */
export function readText(req: Request, name: string, max = FIELD_MAX): string {
  const raw = readRaw(req, name);
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** A repeated field's values in form order (one value or none works too). */
export function readTexts(req: Request, name: string): string[] {
  const raw = readRaw(req, name);
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.slice(0, ROWS_MAX).map((v) => (typeof v === 'string' ? v.slice(0, FIELD_MAX) : ''));
}

/** A repeated query parameter's values (a GET form's checkboxes), bounded as form fields are. */
export function readQueryTexts(req: Request, name: string): string[] {
  const raw = Object.hasOwn(req.query, name) ? req.query[name] : undefined;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.slice(0, ROWS_MAX).map((v) => (typeof v === 'string' ? v.slice(0, FIELD_MAX) : ''));
}

/** A single query parameter (the first when repeated), '' when absent. */
export function readQueryText(req: Request, name: string, max = FIELD_MAX): string {
  return readQueryTexts(req, name)[0]?.slice(0, max) ?? '';
}

/** A Yes/No radio or a checkbox: true for "yes" or "on". */
export function readFlag(req: Request, name: string): boolean {
  const value = readText(req, name).toLowerCase();
  return value === 'yes' || value === 'on' || value === 'true';
}

/** A row number (radio value), 0 when absent or not a small number. */
export function readRow(req: Request, name: string): number {
  const value = Number.parseInt(readText(req, name), 10);
  return Number.isInteger(value) && value >= 0 && value < ROWS_MAX ? value : 0;
}

/** Field errors keyed as the views look them up: `field` or `field.<row>`. */
export function indexFieldErrors(errors: readonly FieldError[]): Record<string, FieldError> {
  const map: Record<string, FieldError> = {};
  for (const error of errors) map[keyFieldError(error)] ??= error;
  return map;
}

/** 409 when a value is taken by another object (as the API answers), 400 for anything else. */
export function selectRefusalStatus(errors: readonly FieldError[]): number {
  return errors.some((e) => e.code === 'in-use' || e.code === 'user-exists') ? 409 : 400;
}

/** The tenant of `/admin/:tenantId/…` (by id or domain), or IDP_TENANT_NOT_FOUND. */
export function loadConsoleTenant(deps: IdpRouteDeps, req: Request): Promise<Tenant> {
  return requireTenant(deps.ctx, String(req.params.tenantId));
}

/** The tenant and app of `/admin/:tenantId/apps/:appId/…`, or a 404 error. */
export async function loadConsoleApp(deps: IdpRouteDeps, req: Request): Promise<{ tenant: Tenant; app: EnterpriseApp }> {
  const tenant = await loadConsoleTenant(deps, req);
  const app = await requireApp(deps.ctx, tenant.tenantId, String(req.params.appId));
  return { tenant, app };
}

/** The console's path for a tenant, and for an app of it. */
export function buildConsolePaths(tenant: Tenant, app?: EnterpriseApp): { base: string; appBase: string | null } {
  const base = `/admin/${encodeURIComponent(tenant.tenantId)}`;
  return { base, appBase: app ? `${base}/apps/${encodeURIComponent(app.appId)}` : null };
}

/** Renders a console page with the tenant, the app (when any) and their paths. */
export function renderConsolePage(
  res: Response,
  deps: IdpRouteDeps,
  view: string,
  scope: { tenant: Tenant; app?: EnterpriseApp },
  data: Record<string, unknown> = {},
  status = 200,
): void {
  renderIdpPage(res, deps.views, view, { ...scope, ...buildConsolePaths(scope.tenant, scope.app), errors: {}, ...data }, status);
}
