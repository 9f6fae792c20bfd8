import type { RequestHandler } from 'express';
import type nunjucks from 'nunjucks';
import type { Logger } from 'pino';
import type { SpContext } from '../../core/sp/context.js';

/** What every router of the SP app receives from createSpApp; nothing is module-level. */
export interface RouteDeps {
  ctx: SpContext;
  views: nunjucks.Environment;
  logger: Logger;
  /** Guards the console pages that reveal configuration (a no-op when no token is required). */
  consoleGuard: RequestHandler;
}

/** The single value of a query parameter, or null when absent or repeated. */
export function readSingleQuery(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A path parameter as one string (Express types a parameter as string[] when it could be a wildcard). */
export function readParam(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
