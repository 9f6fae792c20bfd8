import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../../core/errors.js';

/** Requests per client address per window, per group; 0 turns a group's limit off. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** SP-initiated sign-in starts: GET /login/saml?email=…, GET /sso/{code}. */
  signIn: number;
  /** POST /login/saml (the ACS). */
  acs: number;
  /** POST /api/accounts/{code}/profile/import-metadata. */
  metadataImport: number;
}

/** One limiter's settings. */
export interface RateLimiterOptions {
  limit: number;
  windowSeconds: number;
  /** Requests this limiter does not count (e.g. the sign-in page shown without an email). */
  skip?: (req: Request) => boolean;
}

/** Seconds until the caller's window resets, at least 1: what Retry-After and the error carry. */
function readRetryAfterSeconds(req: Request, windowSeconds: number): number {
  const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const ms = resetTime === undefined ? windowSeconds * 1000 : resetTime.getTime() - Date.now();
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A fixed-window limiter per client IP address (IPv6 grouped by /56, so one host cannot rotate
 * through its own subnet). Counts live in memory in this app instance: two apps in one process do
 * not share them, and replicas each count their own. Over the limit the request becomes
 * RATE_LIMITED (429) with Retry-After, rendered by the error middleware as JSON or as the error
 * page like every other refusal. The window runs on wall-clock time, not the injected clock: it
 * measures real traffic, which a frozen test clock would never let expire.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestHandler {
  if (options.limit <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Express's req.ip follows `trust proxy` (off by default), so a client cannot pick its own key.
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    ...(options.skip ? { skip: options.skip } : {}),
    handler: (req, res, next) => {
      const retryAfterSeconds = readRetryAfterSeconds(req, options.windowSeconds);
      res.setHeader('Retry-After', String(retryAfterSeconds));
      next(new AppError('RATE_LIMITED', undefined, { details: { retryAfterSeconds } }));
    },
  });
}
