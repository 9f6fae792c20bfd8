import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One log line per response. The path only, never the query: it can hold an email address, a
 * RelayState or a console token.
 */
export function createAccessLogMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId: res.locals.requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  };
}
