import type { RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';
import { classifyHostName, normaliseHost } from '../../net/address-guard.js';

/** The host name of a Host header value (port and IPv6 brackets removed), or null when it is not one. */
function readHostName(header: string): string | null {
  try {
    const url = new URL(`http://${header}`);
    // A Host header is host[:port] only; anything the URL parser had to read as a path or user is refused.
    if (url.pathname !== '/' || url.username !== '' || url.search !== '' || url.hash !== '') return null;
    return normaliseHost(url.hostname);
  } catch {
    return null;
  }
}

/**
 * Answers only to the host names this server is meant to be reached by: loopback names and
 * addresses, and the host of its public URL. Mounted while the SP listens on loopback without an
 * admin token, where it is what stops DNS rebinding: a hostile page whose name is re-pointed at
 * 127.0.0.1 is same-origin with itself and could otherwise drive the JSON API (import its own
 * certificate into a profile, then sign in as anyone), but its requests carry its own name as Host.
 * A request without a Host header does not come from a browser and passes. Refusal: HOST_NOT_ALLOWED.
 */
export function createHostGuard(options: { allowedHostNames: readonly string[] }): RequestHandler {
  const allowed = new Set(options.allowedHostNames.map(normaliseHost));
  return (req, _res, next) => {
    const header = req.headers.host;
    if (header === undefined || header === '') return next();
    const name = readHostName(header);
    if (name !== null && (allowed.has(name) || classifyHostName(name) === 'loopback')) return next();
    return next(new AppError('HOST_NOT_ALLOWED', undefined, { details: { host: header.slice(0, 255) } }));
  };
}
