import type { RequestHandler } from 'express';
import type { IdGenerator } from '../../core/ids.js';

/** What a caller may send as its own request id: short, printable, no spaces (it ends up in logs). */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id, echoed in `x-request-id` and kept in res.locals.requestId, so a line in
 * the log can be matched to what a user saw on an error page. A caller's id is kept when it is sane.
 */
export function createRequestIdMiddleware(ids: IdGenerator): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given !== undefined && ACCEPTABLE_REQUEST_ID.test(given) ? given : ids.uuid();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  };
}
