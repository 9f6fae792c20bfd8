import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One log line per response. The whole path as requested (not the part a sub-router saw), never the
 * query: it can hold an email address, a RelayState, a SAMLRequest or a console token.
 */
function readPathOnly(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function createAccessLogMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: readPathOnly(req.originalUrl),
          status: res.statusCode,
          ms: Math.round(ms),
        },
        'request',
      );
    });
    next();
  };
}
