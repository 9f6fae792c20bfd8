import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type nunjucks from 'nunjucks';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../../core/errors.js';
import { renderPage } from '../render.js';

/** Error kinds raised by Express's body parsers (the `type` property), mapped to catalogue codes. */
const BODY_PARSER_CODES: Record<string, ErrorCode> = {
  'entity.parse.failed': 'MALFORMED_JSON',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'parameters.too.many': 'PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.size.invalid': 'VALIDATION_FAILED',
  'request.aborted': 'VALIDATION_FAILED',
};

/** Other client errors Express itself raises (e.g. a path with broken percent-encoding), by status. */
const CLIENT_STATUS_CODES: Record<number, ErrorCode> = {
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Turns anything thrown into a catalogue error; null means a bug (answered as INTERNAL). */
export function classifyError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const { type, status, statusCode } = err as { type?: unknown; status?: unknown; statusCode?: unknown };
  if (typeof type === 'string' && Object.hasOwn(BODY_PARSER_CODES, type)) return new AppError(BODY_PARSER_CODES[type] as ErrorCode);
  const httpStatus = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : null;
  if (httpStatus !== null && httpStatus >= 400 && httpStatus < 500)
    return new AppError(CLIENT_STATUS_CODES[httpStatus] ?? 'VALIDATION_FAILED');
  return null;
}

/** True for the JSON API and for clients that prefer JSON over HTML. */
export function isJsonRequest(req: Request): boolean {
  // originalUrl, not path: a mounted router rewrites req.path to its own prefix.
  const path = req.originalUrl.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

/** The last handler: nothing matched this path. */
export function createNotFoundHandler(): RequestHandler {
  return (_req, _res, next) => {
    next(new AppError('NOT_FOUND'));
  };
}

/**
 * The error handler: catalogue errors keep their status and code, as JSON for the API or as the
 * error page for a browser; anything else is a bug, logged with the request id and answered with
 * INTERNAL and no detail.
 */
export function createErrorHandler(views: nunjucks.Environment, logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = res.locals.requestId as string | undefined;
    const known = classifyError(err);
    const appError = known ?? new AppError('INTERNAL');
    if (known === null) logger.error({ err, requestId, method: req.method, path: req.path }, 'unhandled error');
    else if (appError.status >= 500) logger.error({ code: appError.code, requestId }, 'server error');
    if (appError.code === 'PAYLOAD_TOO_LARGE') res.setHeader('Connection', 'close');
    if (isJsonRequest(req)) {
      res.status(appError.status).json(appError.toJSON());
      return;
    }
    // The token form posts back to this path; anything that could leave the origin (//host) is replaced.
    const path = /^\/(?![/\\])/.test(req.path) ? req.path : '/';
    renderPage(res, views, 'error.njk', { error: appError.toJSON(), status: appError.status, path }, appError.status);
  };
}
